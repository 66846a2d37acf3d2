using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.Dataverse;

/// <summary>
/// Dataverse Web API v9.2 fake (vendor-contracts.md §5) with its Entra ID token endpoint
/// (<c>/{tenant}/oauth2/v2.0/token</c>, client credentials, scope <c>{environment}/.default</c>): WhoAmI,
/// OData queries (<c>$filter</c> with <c>eq</c>/<c>or</c>, <c>$select</c>), rows by id or alternate key, upsert by
/// alternate key with <c>If-None-Match: *</c> (412 when present) and <c>If-Match: *</c> (404 when missing),
/// <c>Prefer: return=representation</c>, annotations (notes and files), the CloseIncident action,
/// <c>{"error":{"code","message"}}</c> errors, 429 with Retry-After and service-protection codes, and WebHook
/// steps posting a RemoteExecutionContext with a static key header.
/// </summary>
public sealed partial class DataverseFake(
    string tenantId = "contoso-tenant", string clientId = "51f81489-12ee-4a9e-aaae-a2591f45987d", string clientSecret = "dv-client-secret",
    string webhookKey = "dv-webhook-key", string conversationKey = "ihub_conversationid", string contactKey = "ihub_contactkey") : StatefulFake
{
    public const string ApplicationUserId = "9d1f5f2b-6a8e-4c0b-9a41-7c1c2f9b0a11";
    public const string AgentUserId = "3b0c9f21-1d4e-4f5a-8c2b-5e6f7a8b9c0d";
    public const string OrganizationId = "883278f5-07af-45eb-a0bc-3fea67caa544";
    /// <summary>This org's prioritycode option set: the three defaults plus an added "Urgent".</summary>
    public static readonly int[] PriorityCodes = [1, 2, 3, 100000000];
    static readonly int[] ActiveReasons = [1, 2, 3, 4];
    const string Api = "/api/data/v9.2/";

    readonly HashSet<string> tokens = [];

    public override string Vendor => "dataverse";
    public string TenantId => tenantId;
    public string ClientId => clientId;
    public string ClientSecret => clientSecret;
    public string WebhookKey => webhookKey;
    public int TokenRequests { get; private set; }
    public string Environment => BaseUrl.ToString().TrimEnd('/');

    /// <summary>Ends every token, as expiry does: the next API call gets 401.</summary>
    public void RevokeTokens()
    {
        lock (Sync) tokens.Clear();
    }

    /// <summary>Status is kept as <c>statecode:statuscode</c>.</summary>
    protected override string HubStatus(string s) => s.Split(':') switch
    {
        ["1", _] => "solved",
        ["2", _] => "closed",
        [_, "2" or "3"] => "pending",
        _ => "open",
    };

    protected override string HubPriority(string p) => p switch { "1" => "high", "3" => "low", "100000000" => "urgent", _ => "normal" };

    bool IsToken(HttpRequest request) => request.Path.Value == $"/{tenantId}/oauth2/v2.0/token";

    protected override bool IsIdentityRequest(HttpRequest request) => IsToken(request);

    protected override bool Authorize(HttpContext context)
    {
        if (IsToken(context.Request)) return true;
        lock (Sync) return Bearer(context) is { } token && tokens.Contains(token);
    }

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 400, Error("0x80040203", message));

    protected override Task WriteUnauthorizedAsync(HttpContext context)
    {
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = $"Bearer error=invalid_token, error_description=Error during token validation!, authorization_uri={BaseUrl}{tenantId}/oauth2/authorize, resource_id={Environment}";
        return Task.CompletedTask;
    }

    static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    protected override void AddRateLimitHeaders(HttpContext context, int limit, int remaining)
    {
        // Diagnostic only at Dataverse (clients must not drive throttling from them).
        context.Response.Headers["x-ms-ratelimit-burst-remaining-xrm-requests"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ms-ratelimit-time-remaining-xrm-requests"] = "1199000.00";
    }

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        var (limit, window) = RateLimit ?? (6000, TimeSpan.FromMinutes(5));
        return WriteJsonAsync(context, 429, Error("0x80072322", $"Number of requests exceeded the limit of {limit} over time window of {(int)window.TotalSeconds} seconds."));
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost($"/{tenantId}/oauth2/v2.0/token", async ctx =>
        {
            var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync() : null;
            lock (Sync) TokenRequests++;
            if (form?["grant_type"].ToString() != "client_credentials")
            { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "AADSTS70003: The app requested an unsupported grant type." }); return; }
            if (form["client_id"].ToString() != clientId || form["client_secret"].ToString() != clientSecret)
            { await WriteJsonAsync(ctx, 401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }); return; }
            if (form["scope"].ToString() != $"{Environment}/.default")
            { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "invalid_scope", ["error_description"] = $"AADSTS70011: The provided value for the input parameter 'scope' is not valid: {form["scope"]}" }); return; }
            var token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');
            lock (Sync) tokens.Add(token);
            await WriteJsonAsync(ctx, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token });
        });
        app.Map(Api + "{**rest}", HandleAsync);
    }

    async Task HandleAsync(HttpContext ctx)
    {
        var segment = (ctx.Request.Path.Value ?? "")[Api.Length..];
        var method = ctx.Request.Method;
        var select = ctx.Request.Query["$select"].ToString();
        if (method == "GET" && segment == "WhoAmI")
        {
            await WriteJsonAsync(ctx, 200, new JsonObject
            {
                ["@odata.context"] = $"{Environment}{Api}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
                ["BusinessUnitId"] = "1b0c7e0a-4f2e-4d7b-8b0a-2c3d4e5f6a7b", ["UserId"] = ApplicationUserId, ["OrganizationId"] = OrganizationId,
            });
            return;
        }
        if (method == "POST" && segment == "CloseIncident") { await CloseIncidentAsync(ctx); return; }
        if (method == "POST" && segment == "annotations") { await CreateAnnotationAsync(ctx); return; }
        if (method == "GET" && segment is "contacts" or "incidents") { await QueryAsync(ctx, segment, select); return; }
        if (RowSegment().Match(segment) is not { Success: true } row || row.Groups["set"].Value is not ("contacts" or "incidents"))
        {
            await WriteJsonAsync(ctx, 404, Error("0x8006088a", $"Resource not found for the segment '{segment.Split('(')[0]}'."));
            return;
        }
        var set = row.Groups["set"].Value;
        var keyName = row.Groups["key"].Success ? row.Groups["key"].Value : null;
        var keyValue = row.Groups["key"].Success ? row.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal) : row.Groups["id"].Value;
        if (keyName is not null && keyName != (set == "contacts" ? contactKey : conversationKey))
        {
            await WriteJsonAsync(ctx, 400, Error("0x80060888", $"The key attribute '{keyName}' is not a valid alternate key of {set[..^1]}."));
            return;
        }
        var found = Find(set, keyName, keyValue);
        switch (method)
        {
            case "GET":
                if (found is null) await WriteJsonAsync(ctx, 404, NotFound(set, keyName, keyValue));
                else await WriteJsonAsync(ctx, 200, Project(found, set, select));
                return;
            case "PATCH":
                await UpsertAsync(ctx, set, keyName, keyValue, found, select);
                return;
            default:
                ctx.Response.StatusCode = 405;
                return;
        }
    }

    static JsonObject NotFound(string set, string? keyName, string value) => keyName is null
        ? Error("0x80040217", $"{set[..^1]} With Id = {value} Does Not Exist")
        : Error("0x80040217", $"A record with the specified key values does not exist in {set[..^1]} entity");

    JsonObject? Find(string set, string? keyName, string keyValue)
    {
        lock (Sync)
            return set == "contacts"
                ? StoredContacts.FirstOrDefault(c => keyName is null ? string.Equals(c.Id, keyValue, StringComparison.OrdinalIgnoreCase) : S(c.Fields[keyName]) == keyValue)?.Fields
                : StoredTickets.FirstOrDefault(t => keyName is null ? string.Equals(t.Id, keyValue, StringComparison.OrdinalIgnoreCase) : S(t.Fields[keyName]) == keyValue)?.Fields;
    }

    JsonObject Project(JsonObject row, string set, string select)
    {
        lock (Sync)
        {
            var id = S(row[set == "contacts" ? "contactid" : "incidentid"]);
            var result = new JsonObject
            {
                ["@odata.context"] = $"{Environment}{Api}$metadata#{set}/$entity",
                ["@odata.etag"] = $"W/\"{Math.Abs(row.ToJsonString().GetHashCode()) % 10_000_000}\"",
            };
            var wanted = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var (k, v) in row)
                if (wanted.Length == 0 || wanted.Contains(k)) result[k] = v?.DeepClone();
            foreach (var f in wanted.Where(f => !result.ContainsKey(f))) result[f] = null;
            result[set == "contacts" ? "contactid" : "incidentid"] = id;
            return result;
        }
    }

    async Task QueryAsync(HttpContext ctx, string set, string select)
    {
        var filter = ctx.Request.Query["$filter"].ToString();
        var clauses = filter.Length == 0 ? [] : Regex.Split(filter, @"\s+or\s+").Select(c => FilterClause().Match(c)).ToList();
        if (clauses.Any(c => !c.Success)) { await WriteJsonAsync(ctx, 400, Error("0x80060888", $"Syntax error in $filter (this fake understands field eq 'text' [or …]): {filter}")); return; }
        List<JsonObject> rows;
        lock (Sync) rows = set == "contacts" ? StoredContacts.Select(c => c.Fields).ToList() : StoredTickets.Select(t => t.Fields).ToList();
        bool Matches(JsonObject r) => clauses.Count == 0 || clauses.Any(c => c.Groups["text"].Success
            ? string.Equals(S(r[c.Groups["field"].Value]), c.Groups["text"].Value.Replace("''", "'", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)
            : S(r[c.Groups["field"].Value]) == c.Groups["number"].Value);
        var top = int.TryParse(ctx.Request.Query["$top"], out var t) ? t : 5000;
        var value = new JsonArray(rows.Where(Matches).Take(top).Select(r => (JsonNode?)Project(r, set, select)).ToArray());
        foreach (var item in value.OfType<JsonObject>()) item.Remove("@odata.context");
        await WriteJsonAsync(ctx, 200, new JsonObject { ["@odata.context"] = $"{Environment}{Api}$metadata#{set}({select})", ["value"] = value });
    }

    async Task UpsertAsync(HttpContext ctx, string set, string? keyName, string keyValue, JsonObject? found, string select)
    {
        var body = await ReadJsonAsync(ctx) as JsonObject;
        if (body is null) { await WriteJsonAsync(ctx, 400, Error("0x80040203", "The request body is not valid JSON.")); return; }
        var createOnly = ctx.Request.Headers.IfNoneMatch.ToString() == "*";
        var updateOnly = ctx.Request.Headers.IfMatch.ToString() == "*";
        var representation = ctx.Request.Headers["Prefer"].ToString().Contains("return=representation", StringComparison.Ordinal);
        (int Status, JsonObject? Error, JsonObject? Row) result;
        // Dataverse enforces alternate keys atomically: look again under the lock, so two racing create-only
        // upserts make one row and one 412 (the lookup before reading the body may be stale by now).
        lock (Sync)
        {
            found = Find(set, keyName, keyValue);
            result = found is not null && createOnly ? (412, Error("0x80060892", "A record with matching key values already exists."), null)
                : found is null && (updateOnly || keyName is null) ? (404, NotFound(set, keyName, keyValue), null)
                : set == "contacts" ? UpsertContact(found, keyName!, keyValue, body) : UpsertIncident(found, keyName, keyValue, body);
        }
        if (result.Error is not null) { await WriteJsonAsync(ctx, result.Status, result.Error); return; }
        var id = S(result.Row![set == "contacts" ? "contactid" : "incidentid"]);
        ctx.Response.Headers["OData-EntityId"] = $"{Environment}{Api}{set}({id})";
        if (representation) await WriteJsonAsync(ctx, found is null ? 201 : 200, Project(result.Row, set, select));
        else ctx.Response.StatusCode = 204;
    }

    (int, JsonObject?, JsonObject?) UpsertContact(JsonObject? found, string keyName, string keyValue, JsonObject body)
    {
        if (found is null)
        {
            if (S(body["lastname"]) is not { Length: > 0 }) return (400, Error("0x80040200", "Last Name: required field is missing."), null);
            var id = Guid.NewGuid().ToString();
            var fields = (JsonObject)body.DeepClone();
            fields["contactid"] = id;
            fields[keyName] = keyValue;
            var contact = new StoredContact { Id = id, Fields = fields };
            Refresh(contact);
            StoredContacts.Add(contact);
            return (201, null, fields);
        }
        foreach (var (k, v) in body) found[k] = v?.DeepClone();
        Refresh(StoredContacts.First(c => c.Fields == found));
        return (200, null, found);
    }

    static void Refresh(StoredContact c)
    {
        c.Fields["fullname"] = $"{S(c.Fields["firstname"])} {S(c.Fields["lastname"])}".Trim();
        c.Email = S(c.Fields["emailaddress1"]);
        c.Phone = S(c.Fields["telephone1"]) ?? S(c.Fields["mobilephone"]);
        c.Name = S(c.Fields["fullname"]);
    }

    (int, JsonObject?, JsonObject?) UpsertIncident(JsonObject? found, string? keyName, string keyValue, JsonObject body)
    {
        if (body["prioritycode"] is { } p && !(p is JsonValue pv && pv.TryGetValue<int>(out var code) && PriorityCodes.Contains(code)))
            return (400, Error("0x80040203", $"A validation error occurred. The value {p.ToJsonString()} of 'prioritycode' is outside the valid range."), null);
        if (found is null)
        {
            if (S(body["title"]) is not { Length: > 0 }) return (400, Error("0x80040200", "Case Title: required field is missing."), null);
            if (S(body["customerid_contact@odata.bind"]) is not { } customer || Bind().Match(customer) is not { Success: true } bound || bound.Groups["set"].Value != "contacts")
                return (400, Error("0x80040200", "Customer: required field is missing."), null);
            if (StoredContacts.All(c => !string.Equals(c.Id, bound.Groups["id"].Value, StringComparison.OrdinalIgnoreCase)))
                return (404, Error("0x80040217", $"contact With Id = {bound.Groups["id"].Value} Does Not Exist"), null);
            var id = Guid.NewGuid().ToString();
            var fields = new JsonObject { ["incidentid"] = id, ["ticketnumber"] = $"CAS-{StoredTickets.Count + 1001:D5}-F4K3", ["statecode"] = 0, ["statuscode"] = 1, ["prioritycode"] = 2 };
            if (keyName is not null) fields[keyName] = keyValue;
            var ticket = new StoredTicket { Id = id, ConversationId = keyName is null ? null : keyValue, RequesterId = bound.Groups["id"].Value, Fields = fields };
            ApplyIncident(ticket, body);
            StoredTickets.Add(ticket);
            return (201, null, fields);
        }
        var existing = StoredTickets.First(t => t.Fields == found);
        var state = found["statecode"]?.GetValue<int>() ?? 0;
        var newState = body["statecode"]?.GetValue<int>() ?? state;
        if (state != 0 && newState != 0) return (400, Error("0x80040203", "This case has already been resolved or cancelled. Reactivate it, and then try again."), null);
        if (newState == 0 && body["statuscode"] is { } reason && !ActiveReasons.Contains(reason.GetValue<int>()))
            return (400, Error("0x80040203", $"{reason.GetValue<int>()} is not a valid status code for state code Active on incident."), null);
        ApplyIncident(existing, body);
        return (200, null, found);
    }

    static void ApplyIncident(StoredTicket t, JsonObject body)
    {
        foreach (var (k, v) in body)
        {
            if (k == "ownerid@odata.bind" && Bind().Match(S(v) ?? "") is { Success: true } owner) t.Queue = owner.Groups["id"].Value;
            t.Fields[k] = v?.DeepClone();
        }
        t.Subject = S(t.Fields["title"]) ?? "";
        t.Description = S(t.Fields["description"]) ?? "";
        t.Status = $"{S(t.Fields["statecode"])}:{S(t.Fields["statuscode"])}";
        t.Priority = S(t.Fields["prioritycode"]) ?? "2";
    }

    async Task CreateAnnotationAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx) as JsonObject;
        if (body is null) { await WriteJsonAsync(ctx, 400, Error("0x80040203", "The request body is not valid JSON.")); return; }
        if (Bind().Match(S(body["objectid_incident@odata.bind"]) ?? "") is not { Success: true } bound || bound.Groups["set"].Value != "incidents")
        { await WriteJsonAsync(ctx, 400, Error("0x80040203", "objectid_incident@odata.bind must reference /incidents(<id>).")); return; }
        if (Ticket(bound.Groups["id"].Value) is not { } t) { await WriteJsonAsync(ctx, 404, NotFound("incidents", null, bound.Groups["id"].Value)); return; }
        var isDocument = body["isdocument"]?.GetValue<bool>() == true;
        if (isDocument && (S(body["filename"]) is not { Length: > 0 } || S(body["documentbody"]) is not { } data || !IsBase64(data)))
        { await WriteJsonAsync(ctx, 400, Error("0x80040203", "A note with a document needs filename and base64 documentbody.")); return; }
        lock (Sync)
        {
            if (isDocument) t.Attachments.Add(S(body["filename"])!);
            else t.Comments.Add(new FakeComment(S(body["notetext"]) ?? "", false)); // notes are internal: Dataverse has no public case comment
        }
        var id = Guid.NewGuid().ToString();
        ctx.Response.Headers["OData-EntityId"] = $"{Environment}{Api}annotations({id})";
        ctx.Response.StatusCode = 204;
    }

    static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    async Task CloseIncidentAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx) as JsonObject;
        var resolution = body?["IncidentResolution"] as JsonObject;
        if (resolution is null || S(resolution["@odata.type"]) != "Microsoft.Dynamics.CRM.incidentresolution" || body?["Status"] is not JsonValue statusValue || !statusValue.TryGetValue<int>(out var status))
        { await WriteJsonAsync(ctx, 400, Error("0x80040203", "CloseIncident needs IncidentResolution (incidentresolution) and Status.")); return; }
        if (Bind().Match(S(resolution["incidentid@odata.bind"]) ?? "") is not { Success: true } bound || Ticket(bound.Groups["id"].Value) is not { } t)
        { await WriteJsonAsync(ctx, 404, NotFound("incidents", null, S(resolution["incidentid@odata.bind"]) ?? "")); return; }
        bool resolved;
        lock (Sync)
        {
            resolved = t.Fields["statecode"]?.GetValue<int>() == 0;
            if (resolved) ApplyIncident(t, new JsonObject { ["statecode"] = 1, ["statuscode"] = status });
        }
        if (resolved) ctx.Response.StatusCode = 204;
        else await WriteJsonAsync(ctx, 400, Error("0x80040203", "The case is already resolved or cancelled."));
    }

    public override async Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        var t = Ticket(ticketId) ?? throw new InvalidOperationException($"no incident {ticketId}");
        string entity, message;
        JsonArray attributes;
        var post = new JsonArray();
        lock (Sync)
        {
            switch (kind)
            {
                case FakeWebhookKind.StatusSolved:
                    ApplyIncident(t, new JsonObject { ["statecode"] = 1, ["statuscode"] = 5 });
                    (entity, message) = ("incident", "Update");
                    attributes = new JsonArray(Pair("statecode", OptionSet(1)), Pair("statuscode", OptionSet(5)), Pair("incidentid", t.Id));
                    post.Add(Pair("AsynchronousStepPrimaryName", new JsonObject
                    {
                        ["Attributes"] = new JsonArray(Pair("statecode", OptionSet(1)), Pair("statuscode", OptionSet(5)), Pair(conversationKey, t.ConversationId)),
                        ["FormattedValues"] = new JsonArray(Pair("statecode", "Resolved"), Pair("statuscode", "Problem Solved")),
                        ["Id"] = t.Id, ["LogicalName"] = "incident",
                    }));
                    break;
                case FakeWebhookKind.InternalNote:
                    t.Comments.Add(new FakeComment(text, false));
                    (entity, message) = ("annotation", "Create");
                    attributes = new JsonArray(Pair("subject", "Agent note"), Pair("notetext", text), Pair("objectid", EntityReference("incident", t.Id)));
                    break;
                default:
                    // The agent's customer-visible reply is an outgoing e-mail activity regarding the case.
                    t.Comments.Add(new FakeComment(text, true));
                    (entity, message) = ("email", "Create");
                    attributes = new JsonArray(Pair("subject", $"RE: {t.Subject}"), Pair("description", $"<div><p>{System.Net.WebUtility.HtmlEncode(text)}</p></div>"),
                        Pair("directioncode", true), Pair("regardingobjectid", EntityReference("incident", t.Id)));
                    break;
            }
        }
        var requestId = Guid.NewGuid().ToString();
        var context = new JsonObject
        {
            ["BusinessUnitId"] = "1b0c7e0a-4f2e-4d7b-8b0a-2c3d4e5f6a7b", ["CorrelationId"] = Guid.NewGuid().ToString(), ["Depth"] = 1,
            ["InitiatingUserAzureActiveDirectoryObjectId"] = Guid.NewGuid().ToString(), ["InitiatingUserId"] = AgentUserId,
            ["InputParameters"] = new JsonArray(Pair("Target", new JsonObject
            {
                ["__type"] = "Entity:http://schemas.microsoft.com/xrm/2011/Contracts", ["Attributes"] = attributes, ["EntityState"] = null,
                ["FormattedValues"] = new JsonArray(), ["Id"] = kind == FakeWebhookKind.StatusSolved ? t.Id : Guid.NewGuid().ToString(),
                ["KeyAttributes"] = new JsonArray(), ["LogicalName"] = entity, ["RelatedEntities"] = new JsonArray(), ["RowVersion"] = null,
            })),
            ["IsExecutingOffline"] = false, ["IsInTransaction"] = false, ["IsOfflinePlayback"] = false, ["IsolationMode"] = 1,
            ["MessageName"] = message, ["Mode"] = 1,
            ["OperationCreatedOn"] = $"/Date({DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})/", ["OperationId"] = Guid.NewGuid().ToString(),
            ["OrganizationId"] = OrganizationId, ["OrganizationName"] = "contoso", ["OutputParameters"] = new JsonArray(),
            ["OwningExtension"] = new JsonObject { ["Id"] = Guid.NewGuid().ToString(), ["KeyAttributes"] = new JsonArray(), ["LogicalName"] = "sdkmessageprocessingstep", ["Name"] = $"hub: {message} of {entity}", ["RowVersion"] = null },
            ["ParentContext"] = null, ["PostEntityImages"] = post, ["PreEntityImages"] = new JsonArray(),
            ["PrimaryEntityId"] = kind == FakeWebhookKind.StatusSolved ? t.Id : Guid.NewGuid().ToString(), ["PrimaryEntityName"] = entity,
            ["RequestId"] = requestId, ["SecondaryEntityName"] = "none", ["SharedVariables"] = new JsonArray(), ["Stage"] = 40, ["UserAzureActiveDirectoryObjectId"] = Guid.NewGuid().ToString(),
            ["UserId"] = AgentUserId,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(context.ToJsonString(), Encoding.UTF8, "application/json") };
        // HttpHeader authentication: the registration's static key/value header; no signature over the body.
        request.Headers.Add("X-Hub-Token", webhookKey);
        request.Headers.Add("x-request-id", requestId);
        request.Headers.Add("x-ms-dynamics-organization", "contoso.crm.dynamics.com");
        request.Headers.Add("x-ms-dynamics-entity-name", entity);
        request.Headers.Add("x-ms-dynamics-request-name", message);
        request.Headers.Add("x-ms-correlation-request-id", Guid.NewGuid().ToString());
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }

    static JsonObject Pair(string key, JsonNode? value) => new() { ["key"] = key, ["value"] = value };

    static JsonObject OptionSet(int value) => new() { ["__type"] = "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts", ["Value"] = value };

    static JsonObject EntityReference(string logicalName, string id) => new()
    {
        ["__type"] = "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts", ["Id"] = id,
        ["KeyAttributes"] = new JsonArray(), ["LogicalName"] = logicalName, ["Name"] = null, ["RowVersion"] = null,
    };

    [GeneratedRegex(@"^(?<set>\w+)\((?:(?<key>\w+)='(?<value>(?:[^']|'')*)'|(?<id>[0-9a-fA-F-]{36}))\)$")]
    private static partial Regex RowSegment();

    [GeneratedRegex(@"^/?(?<set>\w+)\((?<id>[0-9a-fA-F-]{36})\)$")]
    private static partial Regex Bind();

    [GeneratedRegex(@"^\s*(?<field>\w+)\s+eq\s+(?:'(?<text>(?:[^']|'')*)'|(?<number>-?\d+))\s*$")]
    private static partial Regex FilterClause();
}
