using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.Salesforce;

/// <summary>
/// Salesforce REST fake (vendor-contracts.md §4): OAuth 2.0 client credentials at <c>/services/oauth2/token</c>
/// (Bearer session tokens, 401 INVALID_SESSION_ID once revoked), SOQL queries on Contact and Case, sObject
/// create/read/update, upsert by External ID (201 created / 200 updated), CaseComment (4,000-byte bodies),
/// ContentVersion files, restricted Case Status/Priority picklists, JSON-array errors, <c>Sforce-Limit-Info</c>
/// on every API response, throttling as 403 REQUEST_LIMIT_EXCEEDED (never 429), and Apex-callout webhooks
/// signed with the hub signature.
/// </summary>
public sealed partial class SalesforceFake(
    string clientId = "3MVG9fake.consumer.key", string clientSecret = "sf-consumer-secret", string webhookSecret = "sf-webhook-secret",
    string apiVersion = "v62.0", string caseExternalIdField = "Chat_Session_Id__c", string contactKeyField = "Chat_Contact_Key__c") : StatefulFake
{
    public const string IntegrationUserId = "005Dn000001HubAAA";
    /// <summary>The org's Case Status picklist ("Resolved" and "On Hold" added by the admin).</summary>
    public static readonly string[] CaseStatuses = ["New", "Working", "Escalated", "On Hold", "Resolved", "Closed"];
    /// <summary>The org's Case Priority picklist ("Critical" added by the admin).</summary>
    public static readonly string[] CasePriorities = ["Low", "Medium", "High", "Critical"];

    readonly HashSet<string> tokens = [];
    readonly Dictionary<string, int> counters = [];
    long apiRequests;

    public override string Vendor => "salesforce";
    public string ClientId => clientId;
    public string ClientSecret => clientSecret;
    public string WebhookSecret => webhookSecret;
    public string ApiVersion => apiVersion;
    /// <summary>The org's rolling 24-hour API allocation reported in <c>Sforce-Limit-Info</c>.</summary>
    public long DailyAllocation { get; set; } = 100_000;
    public int TokenRequests { get; private set; }
    /// <summary>Files attached through ContentVersion: (case id, file name, bytes).</summary>
    public List<(string CaseId, string FileName, byte[] Content)> Files { get; } = [];

    /// <summary>Ends every session, as an expired or revoked token does: the next API call gets 401 INVALID_SESSION_ID.</summary>
    public void RevokeTokens()
    {
        lock (Sync) tokens.Clear();
    }

    protected override string HubStatus(string s) => s switch { "On Hold" => "pending", "Resolved" => "solved", "Closed" => "closed", _ => "open" };
    protected override string HubPriority(string p) => p switch { "Low" => "low", "High" => "high", "Critical" => "urgent", _ => "normal" };

    bool IsToken(HttpRequest request) => request.Path.Value == "/services/oauth2/token";

    protected override bool IsIdentityRequest(HttpRequest request) => IsToken(request);

    protected override bool Authorize(HttpContext context)
    {
        if (IsToken(context.Request)) return true;
        lock (Sync) return Bearer(context) is { } token && tokens.Contains(token);
    }

    static JsonArray Errors(string errorCode, string message, params string[] fields) =>
        new(new JsonObject { ["message"] = message, ["errorCode"] = errorCode, ["fields"] = new JsonArray(fields.Select(f => (JsonNode?)f).ToArray()) });

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 400,
        new JsonArray(new JsonObject { ["message"] = message, ["errorCode"] = "FIELD_CUSTOM_VALIDATION_EXCEPTION", ["fields"] = new JsonArray() }));

    protected override Task WriteUnauthorizedAsync(HttpContext context) =>
        WriteJsonAsync(context, 401, new JsonArray(new JsonObject { ["message"] = "Session expired or invalid", ["errorCode"] = "INVALID_SESSION_ID" }));

    string LimitInfo(long used) => $"api-usage={used}/{DailyAllocation}";

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        // No 429 and no Retry-After at Salesforce. An enforced allocation is the daily total (usage = allocation);
        // injected throttling is the transient concurrent-request limit (usage below the allocation).
        var total = RateLimit is not null;
        context.Response.Headers["Sforce-Limit-Info"] = total ? LimitInfo(DailyAllocation) : LimitInfo(Interlocked.Read(ref apiRequests));
        return WriteJsonAsync(context, 403, Errors("REQUEST_LIMIT_EXCEEDED",
            total ? "TotalRequests Limit exceeded." : "ConcurrentRequests (Concurrent API Requests) Limit exceeded."));
    }

    string NewId(string prefix)
    {
        lock (Sync)
        {
            var n = counters[prefix] = counters.GetValueOrDefault(prefix) + 1;
            return $"{prefix}Dn00000{n:D5}AAA";
        }
    }

    protected override void MapRoutes(WebApplication app)
    {
        // Every REST response reports the org's usage (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm).
        app.Use(async (ctx, next) =>
        {
            if (!IsToken(ctx.Request)) ctx.Response.Headers["Sforce-Limit-Info"] = LimitInfo(Interlocked.Increment(ref apiRequests));
            await next(ctx);
        });
        app.MapPost("/services/oauth2/token", async ctx =>
        {
            var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync() : null;
            lock (Sync) TokenRequests++;
            if (form?["grant_type"].ToString() != "client_credentials")
            { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "grant type not supported" }); return; }
            if (form["client_id"].ToString() != clientId || form["client_secret"].ToString() != clientSecret)
            { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "invalid client credentials" }); return; }
            var token = $"00DDn000000Fake!{Guid.NewGuid():n}";
            lock (Sync) tokens.Add(token);
            await WriteJsonAsync(ctx, 200, new JsonObject
            {
                ["access_token"] = token, ["signature"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()), ["token_format"] = "opaque",
                ["scope"] = "api", ["instance_url"] = BaseUrl.ToString().TrimEnd('/'), ["id"] = $"{BaseUrl}id/00DDn000000FakeMAA/{IntegrationUserId}",
                ["token_type"] = "Bearer", ["issued_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            });
        });
        var data = $"/services/data/{apiVersion}";
        app.MapGet($"{data}/query", ctx => QueryAsync(ctx, ctx.Request.Query["q"].ToString()));
        app.MapGet(data + "/sobjects/{type}/{field}/{value}", ctx =>
        {
            var (type, field, value) = Route3(ctx);
            if (!IsExternalId(type, field)) return WriteJsonAsync(ctx, 404, Errors("NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}"));
            var record = FindByExternalId(type, field, value);
            return record is null ? WriteJsonAsync(ctx, 404, Errors("NOT_FOUND", "The requested resource does not exist"))
                : WriteJsonAsync(ctx, 200, Project(record, type, ctx.Request.Query["fields"].ToString()));
        });
        app.MapMethods(data + "/sobjects/{type}/{field}/{value}", ["PATCH"], async ctx =>
        {
            var (type, field, value) = Route3(ctx);
            var body = await ReadJsonAsync(ctx) as JsonObject;
            var (status, result) = Upsert(type, field, value, body);
            await WriteJsonAsync(ctx, status, result);
        });
        app.MapGet(data + "/sobjects/{type}/{id}", ctx =>
        {
            var type = ctx.Request.RouteValues["type"]!.ToString()!;
            return Record(type, ctx.Request.RouteValues["id"]!.ToString()!) is { } record
                ? WriteJsonAsync(ctx, 200, Project(record, type, ctx.Request.Query["fields"].ToString()))
                : WriteJsonAsync(ctx, 404, Errors("NOT_FOUND", "The requested resource does not exist"));
        });
        app.MapMethods(data + "/sobjects/{type}/{id}", ["PATCH"], async ctx =>
        {
            var type = ctx.Request.RouteValues["type"]!.ToString()!;
            var body = await ReadJsonAsync(ctx) as JsonObject;
            if (body is null) { await WriteJsonAsync(ctx, 400, Errors("JSON_PARSER_ERROR", "The request body is not valid JSON")); return; }
            if (type != "Case" || Ticket(ctx.Request.RouteValues["id"]!.ToString()) is not { } t) { await WriteJsonAsync(ctx, 404, Errors("NOT_FOUND", "The requested resource does not exist")); return; }
            if (Picklists(body) is { } invalid) { await WriteJsonAsync(ctx, 400, invalid); return; }
            lock (Sync) ApplyCase(t, body);
            ctx.Response.StatusCode = 204;
        });
        app.MapPost(data + "/sobjects/{type}", async ctx =>
        {
            var body = await ReadJsonAsync(ctx) as JsonObject;
            var (status, result) = Create(ctx.Request.RouteValues["type"]!.ToString()!, body);
            await WriteJsonAsync(ctx, status, result);
        });
    }

    static (string Type, string Field, string Value) Route3(HttpContext ctx) =>
        (ctx.Request.RouteValues["type"]!.ToString()!, ctx.Request.RouteValues["field"]!.ToString()!, ctx.Request.RouteValues["value"]!.ToString()!);

    bool IsExternalId(string type, string field) => (type, field) switch
    {
        ("Case", _) => field == caseExternalIdField,
        ("Contact", _) => field == contactKeyField,
        _ => false,
    };

    JsonObject? FindByExternalId(string type, string field, string value)
    {
        lock (Sync)
            return type == "Case" ? StoredTickets.FirstOrDefault(t => S(t.Fields[field]) == value)?.Fields
                : StoredContacts.FirstOrDefault(c => string.Equals(S(c.Fields[field]), value, StringComparison.Ordinal))?.Fields;
    }

    JsonObject? Record(string type, string id)
    {
        lock (Sync)
            return type switch
            {
                "Case" => StoredTickets.FirstOrDefault(t => t.Id == id)?.Fields,
                "Contact" => StoredContacts.FirstOrDefault(c => c.Id == id)?.Fields,
                _ => null,
            };
    }

    JsonObject Project(JsonObject record, string type, string fields)
    {
        lock (Sync)
        {
            var result = new JsonObject { ["attributes"] = new JsonObject { ["type"] = type, ["url"] = $"/services/data/{apiVersion}/sobjects/{type}/{S(record["Id"])}" } };
            var wanted = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var (k, v) in record)
                if (wanted.Length == 0 || wanted.Contains(k, StringComparer.OrdinalIgnoreCase)) result[k] = v?.DeepClone();
            foreach (var f in wanted.Where(f => !result.ContainsKey(f))) result[f] = null;
            return result;
        }
    }

    static JsonArray? Picklists(JsonObject body)
    {
        if (body["Status"] is { } status && !CaseStatuses.Contains(S(status)))
            return Errors("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Status: bad value for restricted picklist field: {S(status)}", "Status");
        if (body["Priority"] is { } priority && !CasePriorities.Contains(S(priority)))
            return Errors("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Priority: bad value for restricted picklist field: {S(priority)}", "Priority");
        return null;
    }

    void ApplyCase(StoredTicket t, JsonObject body)
    {
        foreach (var (k, v) in body) t.Fields[k] = v?.DeepClone();
        t.Subject = S(t.Fields["Subject"]) ?? "";
        t.Description = S(t.Fields["Description"]) ?? "";
        t.Status = S(t.Fields["Status"]) ?? "New";
        t.Priority = S(t.Fields["Priority"]) ?? "Medium";
        t.RequesterId = S(t.Fields["ContactId"]);
        t.Queue = S(t.Fields["OwnerId"]);
    }

    (int, JsonNode) Upsert(string type, string field, string value, JsonObject? body)
    {
        if (body is null) return (400, Errors("JSON_PARSER_ERROR", "The request body is not valid JSON"));
        if (!IsExternalId(type, field)) return (404, Errors("NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}"));
        lock (Sync)
        {
            if (type == "Case")
            {
                if (Picklists(body) is { } invalid) return (400, invalid);
                if (S(body["ContactId"]) is { } contactId && StoredContacts.All(c => c.Id != contactId))
                    return (400, Errors("INVALID_CROSS_REFERENCE_KEY", "Contact ID: id value of incorrect type or not found", "ContactId"));
                if (StoredTickets.FirstOrDefault(t => S(t.Fields[field]) == value) is { } existing)
                {
                    ApplyCase(existing, body);
                    return (200, Saved(existing.Id, false));
                }
                var id = NewId("500");
                var ticket = new StoredTicket { Id = id, ConversationId = value };
                ticket.Fields["Id"] = id;
                ticket.Fields[field] = value;
                ticket.Fields["CaseNumber"] = (1000 + StoredTickets.Count + 1).ToString("D8", CultureInfo.InvariantCulture);
                ApplyCase(ticket, body);
                StoredTickets.Add(ticket);
                return (201, Saved(id, true));
            }
            if (StoredContacts.FirstOrDefault(c => S(c.Fields[field]) == value) is { } contact)
            {
                foreach (var (k, v) in body) contact.Fields[k] = v?.DeepClone();
                SyncContact(contact);
                return (200, Saved(contact.Id, false));
            }
            if (S(body["LastName"]) is not { Length: > 0 }) return (400, Errors("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", "LastName"));
            var created = NewContact(body);
            created.Fields[field] = value;
            return (201, Saved(created.Id, true));
        }
    }

    StoredContact NewContact(JsonObject body)
    {
        var id = NewId("003");
        var fields = (JsonObject)body.DeepClone();
        fields["Id"] = id;
        fields["CreatedDate"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
        var contact = new StoredContact { Id = id, Fields = fields };
        SyncContact(contact);
        StoredContacts.Add(contact);
        return contact;
    }

    static void SyncContact(StoredContact c)
    {
        c.Fields["Name"] = $"{S(c.Fields["FirstName"])} {S(c.Fields["LastName"])}".Trim();
        c.Email = S(c.Fields["Email"]);
        c.Phone = S(c.Fields["Phone"]) ?? S(c.Fields["MobilePhone"]);
        c.Name = S(c.Fields["Name"]);
    }

    static JsonObject Saved(string id, bool created) => new() { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = created };

    (int, JsonNode) Create(string type, JsonObject? body)
    {
        if (body is null) return (400, Errors("JSON_PARSER_ERROR", "The request body is not valid JSON"));
        lock (Sync)
            switch (type)
            {
                case "CaseComment":
                    if (Ticket(S(body["ParentId"])) is not { } parent) return (400, Errors("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "ParentId"));
                    var text = S(body["CommentBody"]) ?? "";
                    if (text.Length == 0) return (400, Errors("REQUIRED_FIELD_MISSING", "Required fields are missing: [CommentBody]", "CommentBody"));
                    if (Encoding.UTF8.GetByteCount(text) > 4000) return (400, Errors("STRING_TOO_LONG", "Body: data value too large (max length=4000)", "CommentBody"));
                    parent.Comments.Add(new FakeComment(text, body["IsPublished"]?.GetValue<bool>() ?? false));
                    return (201, Saved(NewId("00a"), true));
                case "ContentVersion":
                    if (Ticket(S(body["FirstPublishLocationId"])) is not { } target) return (400, Errors("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "FirstPublishLocationId"));
                    if (S(body["PathOnClient"]) is not { Length: > 0 } path || S(body["VersionData"]) is not { } data)
                        return (400, Errors("REQUIRED_FIELD_MISSING", "Required fields are missing: [PathOnClient, VersionData]", "PathOnClient", "VersionData"));
                    byte[] bytes;
                    try { bytes = Convert.FromBase64String(data); }
                    catch (FormatException) { return (400, Errors("INVALID_FIELD", "VersionData: invalid base64", "VersionData")); }
                    target.Attachments.Add(path);
                    Files.Add((target.Id, path, bytes));
                    return (201, Saved(NewId("068"), true));
                case "Contact":
                    if (S(body["LastName"]) is not { Length: > 0 }) return (400, Errors("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", "LastName"));
                    return (201, Saved(NewContact(body).Id, true));
                default:
                    return (400, Errors("NOT_FOUND", $"The requested resource does not exist: sObject type '{type}' is not supported"));
            }
    }

    Task QueryAsync(HttpContext ctx, string soql)
    {
        if (Soql().Match(soql) is not { Success: true } m) return WriteJsonAsync(ctx, 400, Errors("MALFORMED_QUERY", $"unexpected token: {soql}"));
        var fields = m.Groups["fields"].Value;
        var type = m.Groups["type"].Value;
        var clauses = m.Groups["where"].Success
            ? Regex.Split(m.Groups["where"].Value, @"\s+OR\s+", RegexOptions.IgnoreCase).Select(c => Clause().Match(c)).ToList() : [];
        if (clauses.Any(c => !c.Success)) return WriteJsonAsync(ctx, 400, Errors("MALFORMED_QUERY", $"this fake understands only Field = 'value' [OR …]: {m.Groups["where"].Value}"));
        var limit = m.Groups["limit"].Success ? int.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture) : int.MaxValue;
        List<JsonObject> rows;
        lock (Sync)
            rows = type switch
            {
                "Contact" => StoredContacts.Select(c => c.Fields).ToList(),
                "Case" => StoredTickets.Select(t => t.Fields).ToList(),
                _ => [],
            };
        if (type is not ("Contact" or "Case")) return WriteJsonAsync(ctx, 400, Errors("INVALID_TYPE", $"sObject type '{type}' is not supported."));
        var matches = rows.Where(r => clauses.Count == 0 || clauses.Any(c =>
                string.Equals(S(r[c.Groups[1].Value]), Unescape(c.Groups[2].Value), c.Groups[1].Value == "Email" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
            .Take(limit).Select(r => (JsonNode?)Project(r, type, fields)).ToArray();
        return WriteJsonAsync(ctx, 200, new JsonObject { ["totalSize"] = matches.Length, ["done"] = true, ["records"] = new JsonArray(matches) });
    }

    static string Unescape(string literal) => Regex.Replace(literal, @"\\(.)", "$1");

    public override Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        var t = Ticket(ticketId) ?? throw new InvalidOperationException($"no case {ticketId}");
        JsonObject payload;
        lock (Sync)
        {
            payload = new JsonObject
            {
                ["event_id"] = Guid.NewGuid().ToString(),
                ["case_id"] = t.Id,
                ["chat_session_id"] = t.ConversationId,
                ["occurred_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            };
            if (kind == FakeWebhookKind.StatusSolved)
            {
                t.Fields["Status"] = "Resolved";
                t.Status = "Resolved";
                payload["object"] = "Case";
                payload["status"] = "Resolved";
            }
            else
            {
                var published = kind == FakeWebhookKind.AgentPublicReply;
                t.Comments.Add(new FakeComment(text, published));
                payload["object"] = "CaseComment";
                payload["is_published"] = published;
                payload["body"] = text;
                payload["author"] = "Agent Smith";
                payload["created_by_id"] = "005Dn000002AgentAAA";
            }
        }
        return SendHubSignedAsync(target, payload, webhookSecret, cancellationToken);
    }

    [GeneratedRegex(@"^SELECT\s+(?<fields>.+?)\s+FROM\s+(?<type>\w+)(?:\s+WHERE\s+(?<where>.+?))?(?:\s+ORDER\s+BY\s+.+?)?(?:\s+LIMIT\s+(?<limit>\d+))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Soql();

    [GeneratedRegex(@"^\s*(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$")]
    private static partial Regex Clause();
}
