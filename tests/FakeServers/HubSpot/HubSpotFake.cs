using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.HubSpot;

/// <summary>
/// HubSpot CRM v3 fake (vendor-contracts.md §3): Bearer token, object search/create/batch upsert/patch,
/// v4 default associations, notes, Files API, conversation messages, 429 RATE_LIMIT bodies with
/// <c>X-HubSpot-RateLimit-*</c> headers, and v3-signed webhook arrays.
/// </summary>
public sealed class HubSpotFake(string accessToken = "pat-na1-fake", string clientSecret = "hs-client-secret", string conversationProperty = "hub_conversation_id") : StatefulFake
{
    readonly Dictionary<string, string> files = [];
    readonly Dictionary<string, (string Thread, string Text, string Type)> messages = [];
    long eventId;

    public override string Vendor => "hubspot";
    public string AccessToken => accessToken;
    public string ClientSecret => clientSecret;

    /// <summary>
    /// Ticket pipelines and their stages (stage id → hub status). HubSpot stage ids are unique across pipelines and a
    /// ticket's stage must belong to its pipeline; "0" is the default Support pipeline, "7311" a second team's pipeline.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Pipelines { get; } = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["0"] = new Dictionary<string, string> { ["1"] = "open", ["2"] = "pending", ["3"] = "pending", ["4"] = "solved" },
        ["7311"] = new Dictionary<string, string> { ["7312"] = "open", ["7313"] = "pending", ["7314"] = "solved" },
    };

    protected override string HubStatus(string s) => Pipelines.Values.Select(stages => stages.GetValueOrDefault(s)).FirstOrDefault(h => h is not null) ?? "open";
    protected override string HubPriority(string p) => p switch { "LOW" => "low", "HIGH" => "high", "URGENT" => "urgent", _ => "normal" };

    protected override bool Authorize(HttpContext context) => Bearer(context) == accessToken;

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 400, Error(message, "VALIDATION_ERROR", "properties"));

    protected override Task WriteUnauthorizedAsync(HttpContext context) => WriteJsonAsync(context, 401, Error("Authentication credentials not found.", "INVALID_AUTHENTICATION"));

    protected override void AddRateLimitHeaders(HttpContext context, int limit, int remaining)
    {
        context.Response.Headers["X-HubSpot-RateLimit-Max"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = ((int)(RateLimit?.Window.TotalMilliseconds ?? 10000)).ToString(CultureInfo.InvariantCulture);
    }

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = ((int)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = "0";
        return WriteJsonAsync(context, 429, new JsonObject
        {
            ["status"] = "error", ["message"] = "You have reached your ten_secondly_rolling limit.", ["errorType"] = "RATE_LIMIT",
            ["correlationId"] = Guid.NewGuid().ToString(), ["policyName"] = "TEN_SECONDLY_ROLLING", ["requestId"] = Guid.NewGuid().ToString(),
        });
    }

    static JsonObject Error(string message, string category, string? field = null) => new()
    {
        ["status"] = "error", ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString(), ["category"] = category,
        ["errors"] = field is null ? new JsonArray() : new JsonArray(new JsonObject { ["message"] = message, ["in"] = field }),
    };

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/crm/v3/objects/tickets", ctx => WriteJsonAsync(ctx, 200, new JsonObject { ["results"] = new JsonArray() }));
        app.MapPost("/crm/v3/objects/{type}/search", async ctx =>
        {
            var body = await ReadJsonAsync(ctx);
            var filter = body?["filterGroups"]?[0]?["filters"]?[0];
            var (property, value) = (S(filter?["propertyName"]), S(filter?["value"]));
            JsonArray results;
            lock (Sync)
                results = ctx.Request.RouteValues["type"]?.ToString() switch
                {
                    "contacts" => new(StoredContacts.Where(c => S(c.Fields[property!]) is { } v && string.Equals(v, value, StringComparison.OrdinalIgnoreCase)).Select(Contact).ToArray()),
                    "tickets" => new(StoredTickets.Where(t => S(t.Fields[property!]) == value).Select(Ticket).ToArray()),
                    _ => [],
                };
            await WriteJsonAsync(ctx, 200, new JsonObject { ["total"] = results.Count, ["results"] = results });
        });
        app.MapPost("/crm/v3/objects/{type}/batch/upsert", async ctx =>
        {
            var input = (await ReadJsonAsync(ctx))?["inputs"]?[0] as JsonObject;
            var (status, body) = Upsert(ctx.Request.RouteValues["type"]!.ToString()!, input);
            await WriteJsonAsync(ctx, status, body);
        });
        app.MapPost("/crm/v3/objects/{type}", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject;
            var (status, body) = Create(ctx.Request.RouteValues["type"]!.ToString()!, input);
            await WriteJsonAsync(ctx, status, body);
        });
        app.MapGet("/crm/v3/objects/tickets/{id}", ctx =>
            Ticket(ctx.Request.RouteValues["id"]?.ToString()) is { } t ? WriteJsonAsync(ctx, 200, Ticket(t)) : WriteJsonAsync(ctx, 404, Error("Object not found.", "OBJECT_NOT_FOUND")));
        app.MapMethods("/crm/v3/objects/tickets/{id}", ["PATCH"], async ctx =>
        {
            var properties = (await ReadJsonAsync(ctx))?["properties"] as JsonObject ?? [];
            if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) { await WriteJsonAsync(ctx, 404, Error("Object not found.", "OBJECT_NOT_FOUND")); return; }
            if (S(properties["hs_ticket_priority"]) is { } p && p is not ("LOW" or "MEDIUM" or "HIGH" or "URGENT"))
            { await WriteJsonAsync(ctx, 400, Error($"Property values were not valid: {p} was not one of the allowed options", "VALIDATION_ERROR", "hs_ticket_priority")); return; }
            JsonObject? invalid;
            lock (Sync)
                if ((invalid = InvalidPipeline(t, properties)) is null) Apply(t, properties);
            await WriteJsonAsync(ctx, invalid is null ? 200 : 400, invalid ?? Ticket(t));
        });
        app.MapPut("/crm/v4/objects/tickets/{id}/associations/default/contacts/{contactId}", ctx =>
        {
            var contactId = ctx.Request.RouteValues["contactId"]?.ToString();
            if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) return WriteJsonAsync(ctx, 404, Error("Object not found.", "OBJECT_NOT_FOUND"));
            lock (Sync)
            {
                if (StoredContacts.All(c => c.Id != contactId)) return WriteJsonAsync(ctx, 400, Error("Contact does not exist", "VALIDATION_ERROR"));
                t.RequesterId = contactId;
            }
            return WriteJsonAsync(ctx, 200, new JsonObject { ["status"] = "COMPLETE", ["results"] = new JsonArray() });
        });
        app.MapPost("/files/v3/files", async ctx =>
        {
            var form = await ctx.Request.ReadFormAsync();
            if (form.Files["file"] is not { } file) { await WriteJsonAsync(ctx, 400, Error("file is required", "VALIDATION_ERROR", "file")); return; }
            var id = NextId();
            lock (Sync) files[id] = file.FileName;
            await WriteJsonAsync(ctx, 201, new JsonObject { ["id"] = id, ["name"] = file.FileName, ["access"] = "PRIVATE" });
        });
        app.MapGet("/conversations/v3/conversations/threads/{thread}/messages/{message}", ctx =>
        {
            lock (Sync)
                return messages.TryGetValue(ctx.Request.RouteValues["message"]!.ToString()!, out var m)
                    ? WriteJsonAsync(ctx, 200, new JsonObject { ["id"] = ctx.Request.RouteValues["message"]!.ToString(), ["type"] = m.Type, ["text"] = m.Text, ["direction"] = "OUTGOING", ["senders"] = new JsonArray(new JsonObject { ["name"] = "Agent Smith" }) })
                    : WriteJsonAsync(ctx, 404, Error("Message not found", "OBJECT_NOT_FOUND"));
        });
        app.MapGet("/conversations/v3/conversations/threads/{thread}", ctx =>
            WriteJsonAsync(ctx, 200, new JsonObject { ["id"] = ctx.Request.RouteValues["thread"]!.ToString(), ["associatedTicketId"] = ctx.Request.RouteValues["thread"]!.ToString() }));
    }

    (int, JsonNode) Upsert(string type, JsonObject? input)
    {
        if (input is null || S(input["idProperty"]) is not { } idProperty || S(input["id"]) is not { } id)
            return (400, Error("inputs[0].idProperty and id are required", "VALIDATION_ERROR"));
        var properties = input["properties"] as JsonObject ?? [];
        properties[idProperty] = id;
        lock (Sync)
        {
            if (type == "contacts")
            {
                var existing = StoredContacts.FirstOrDefault(c => string.Equals(S(c.Fields[idProperty]), id, StringComparison.OrdinalIgnoreCase));
                var contact = existing ?? new StoredContact { Id = NextId() };
                foreach (var (k, v) in properties) contact.Fields[k] = v?.DeepClone();
                contact.Email = S(contact.Fields["email"]); contact.Phone = S(contact.Fields["phone"]);
                contact.Name = string.Join(' ', new[] { S(contact.Fields["firstname"]), S(contact.Fields["lastname"]) }.Where(n => n is not null));
                if (existing is null) StoredContacts.Add(contact);
                var json = Contact(contact);
                json["new"] = existing is null;
                return (200, new JsonObject { ["status"] = "COMPLETE", ["results"] = new JsonArray(json) });
            }
            if (idProperty != conversationProperty) return (400, Error($"Property {idProperty} is not a unique property", "VALIDATION_ERROR", "idProperty"));
            var ticket = StoredTickets.FirstOrDefault(t => S(t.Fields[idProperty]) == id);
            if (InvalidPipeline(ticket, properties) is { } invalid) return (400, invalid);
            var isNew = ticket is null;
            if (ticket is null) { ticket = new StoredTicket { Id = NextId(), ConversationId = id }; StoredTickets.Add(ticket); }
            Apply(ticket, properties);
            var result = Ticket(ticket);
            result["new"] = isNew;
            return (200, new JsonObject { ["status"] = "COMPLETE", ["results"] = new JsonArray(result) });
        }
    }

    (int, JsonNode) Create(string type, JsonObject? input)
    {
        var properties = input?["properties"] as JsonObject;
        if (properties is null || input!["associations"] is not JsonArray associations) return (400, Error("properties and associations are required", "VALIDATION_ERROR"));
        lock (Sync)
        {
            switch (type)
            {
                case "contacts":
                    if (S(properties["email"]) is { } e && StoredContacts.Any(c => string.Equals(c.Email, e, StringComparison.OrdinalIgnoreCase)))
                        return (409, Error("Contact already exists.", "CONFLICT"));
                    var contact = new StoredContact { Id = NextId(), Email = S(properties["email"]), Phone = S(properties["phone"]), Name = S(properties["firstname"]), Fields = (JsonObject)properties.DeepClone() };
                    StoredContacts.Add(contact);
                    return (201, Contact(contact));
                case "notes":
                    var ticketId = S(associations.FirstOrDefault()?["to"]?["id"]);
                    if (StoredTickets.FirstOrDefault(t => t.Id == ticketId) is not { } ticket) return (400, Error($"Ticket {ticketId} does not exist", "VALIDATION_ERROR", "associations"));
                    if (S(properties["hs_note_body"]) is not { } body) return (400, Error("hs_note_body is required", "VALIDATION_ERROR", "hs_note_body"));
                    ticket.Comments.Add(new FakeComment(System.Net.WebUtility.HtmlDecode(body), false));
                    foreach (var fileId in (S(properties["hs_attachment_ids"]) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                        if (files.TryGetValue(fileId, out var name)) ticket.Attachments.Add(name);
                    return (201, new JsonObject { ["id"] = NextId(), ["properties"] = properties.DeepClone() });
                default:
                    return (400, Error($"Unsupported object type {type}", "VALIDATION_ERROR"));
            }
        }
    }

    /// <summary>Options of the enumeration property hs_ticket_category (portal-configurable; these are HubSpot's defaults).</summary>
    public static IReadOnlyList<string> Categories { get; } = ["PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"];

    /// <summary>HubSpot rejects an unknown pipeline, a stage of another pipeline and a value outside an enumeration (VALIDATION_ERROR).</summary>
    static JsonObject? InvalidPipeline(StoredTicket? t, JsonObject properties)
    {
        if (S(properties["hs_ticket_category"]) is { Length: > 0 } category && !Categories.Contains(category))
            return Error($"Property values were not valid: {category} was not one of the allowed options", "VALIDATION_ERROR", "hs_ticket_category");
        var pipeline = S(properties["hs_pipeline"]) ?? (t is null ? "0" : S(t.Fields["hs_pipeline"]) ?? "0");
        if (!Pipelines.TryGetValue(pipeline, out var stages)) return Error($"Property values were not valid: {pipeline} is not a valid pipeline", "VALIDATION_ERROR", "hs_pipeline");
        var stage = S(properties["hs_pipeline_stage"]) ?? (t is null ? null : S(t.Fields["hs_pipeline_stage"]));
        return stage is not null && !stages.ContainsKey(stage)
            ? Error($"Property values were not valid: {stage} is not a valid pipeline stage for pipeline {pipeline}", "VALIDATION_ERROR", "hs_pipeline_stage")
            : null;
    }

    static void Apply(StoredTicket t, JsonObject properties)
    {
        foreach (var (k, v) in properties) t.Fields[k] = v?.DeepClone();
        t.Subject = S(t.Fields["subject"]) ?? "";
        t.Description = S(t.Fields["content"]) ?? "";
        t.Status = S(t.Fields["hs_pipeline_stage"]) ?? "1";
        t.Queue = S(t.Fields["hs_pipeline"]);
        t.Priority = S(t.Fields["hs_ticket_priority"]) ?? "MEDIUM";
    }

    static JsonObject Contact(StoredContact c) => new() { ["id"] = c.Id, ["properties"] = c.Fields.DeepClone(), ["archived"] = false };
    static JsonObject Ticket(StoredTicket t) => new() { ["id"] = t.Id, ["properties"] = t.Fields.DeepClone(), ["archived"] = false };

    public override async Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        var e = new JsonObject
        {
            ["eventId"] = Interlocked.Increment(ref eventId), ["subscriptionId"] = 12345, ["portalId"] = 62515, ["appId"] = 54321,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ["attemptNumber"] = 0, ["changeSource"] = "CRM",
        };
        lock (Sync)
        {
            var t = StoredTickets.First(x => x.Id == ticketId);
            if (kind == FakeWebhookKind.StatusSolved)
            {
                t.Status = "4";
                e["subscriptionType"] = "ticket.propertyChange"; e["objectId"] = long.Parse(ticketId, CultureInfo.InvariantCulture);
                e["propertyName"] = "hs_pipeline_stage"; e["propertyValue"] = "4";
            }
            else
            {
                var messageId = NextId();
                messages[messageId] = (ticketId, text, kind == FakeWebhookKind.AgentPublicReply ? "MESSAGE" : "COMMENT");
                e["subscriptionType"] = "conversation.newMessage"; e["objectId"] = long.Parse(ticketId, CultureInfo.InvariantCulture);
                e["messageId"] = messageId; e["messageType"] = kind == FakeWebhookKind.AgentPublicReply ? "MESSAGE" : "COMMENT"; e["changeFlag"] = "NEW_MESSAGE";
            }
        }
        var body = new JsonArray(e).ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes("POST" + target.AbsoluteUri + body + timestamp)));
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-Version", "v1");
        request.Headers.Add("X-HubSpot-Signature", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret + body))));
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }
}
