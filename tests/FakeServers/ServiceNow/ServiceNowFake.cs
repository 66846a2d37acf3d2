using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.ServiceNow;

/// <summary>
/// ServiceNow Table/Attachment API fake (vendor-contracts.md §6): Basic auth, <c>{"result":…}</c> bodies,
/// encoded queries (<c>field=value</c>, <c>^OR</c>), journal fields comments/work_notes, attachments,
/// 429 with <c>X-RateLimit-*</c> (Unix reset), and Business-Rule callbacks signed with the hub signature.
/// </summary>
public sealed class ServiceNowFake(string username = "hub.integration", string password = "sn-password", string webhookSecret = "sn-webhook-secret") : StatefulFake
{
    public override string Vendor => "servicenow";
    public string Username => username;
    public string Password => password;
    public string WebhookSecret => webhookSecret;

    protected override string HubStatus(string s) => s switch { "3" => "pending", "6" => "solved", "7" or "8" => "closed", _ => "open" };
    protected override string HubPriority(string p) => p switch { "11" => "urgent", "12" or "21" => "high", "33" or "32" or "23" => "low", _ => "normal" };

    protected override bool Authorize(HttpContext context) => BasicCredentials(context) == $"{username}:{password}";

    static JsonObject Error(string message, string? detail) => new() { ["error"] = new JsonObject { ["message"] = message, ["detail"] = detail }, ["status"] = "failure" };

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 400, Error(message, "Invalid input"));

    protected override Task WriteUnauthorizedAsync(HttpContext context) => WriteJsonAsync(context, 401, Error("User Not Authenticated", "Required to provide Auth information"));

    protected override void AddRateLimitHeaders(HttpContext context, int limit, int remaining)
    {
        context.Response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Rule"] = "8c1ff9a0dbe2220036f5eb17ca961902";
    }

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        var reset = (long)Math.Ceiling((DateTimeOffset.UtcNow + retryAfter).ToUnixTimeMilliseconds() / 1000.0);
        context.Response.Headers["X-RateLimit-Limit"] = (RateLimit?.Limit ?? 0).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Rule"] = "8c1ff9a0dbe2220036f5eb17ca961902";
        return WriteJsonAsync(context, 429, Error("Rate limit exceeded", "The rate limit for this user has been exceeded"));
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/api/now/table/{table}", ctx =>
        {
            var table = ctx.Request.RouteValues["table"]!.ToString();
            var clauses = ctx.Request.Query["sysparm_query"].ToString().Split("^OR").Select(c => c.Split('=', 2)).Where(c => c.Length == 2).ToList();
            bool Match(JsonObject fields) => clauses.Count == 0 || clauses.Any(c => c[0] == "active" || string.Equals(S(fields[c[0]]), c[1], StringComparison.OrdinalIgnoreCase));
            JsonArray result;
            lock (Sync)
                result = table switch
                {
                    "sys_user" => new(StoredContacts.Where(c => Match(c.Fields)).Select(c => (JsonNode?)c.Fields.DeepClone()).ToArray()),
                    "incident" => new(StoredTickets.Where(t => Match(t.Fields)).Select(t => (JsonNode?)t.Fields.DeepClone()).ToArray()),
                    _ => [],
                };
            ctx.Response.Headers["X-Total-Count"] = result.Count.ToString(CultureInfo.InvariantCulture);
            return WriteJsonAsync(ctx, 200, new JsonObject { ["result"] = result });
        });
        app.MapPost("/api/now/table/{table}", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject;
            var (status, body) = Create(ctx.Request.RouteValues["table"]!.ToString()!, input);
            await WriteJsonAsync(ctx, status, body);
        });
        app.MapMethods("/api/now/table/incident/{id}", ["PATCH", "PUT"], async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) { await WriteJsonAsync(ctx, 404, Error("No Record found", "Record doesn't exist or ACL restricts the record retrieval")); return; }
            lock (Sync)
            {
                foreach (var (k, v) in input)
                {
                    if (k == "comments") t.Comments.Add(new FakeComment(S(v)!, true));
                    else if (k == "work_notes") t.Comments.Add(new FakeComment(S(v)!, false));
                    else t.Fields[k] = v?.DeepClone();
                }
                Sync_(t);
            }
            await WriteJsonAsync(ctx, 200, new JsonObject { ["result"] = t.Fields.DeepClone() });
        });
        app.MapPost("/api/now/attachment/file", async ctx =>
        {
            var id = ctx.Request.Query["table_sys_id"].ToString();
            var name = ctx.Request.Query["file_name"].ToString();
            if (Ticket(id) is not { } t || name.Length == 0) { await WriteJsonAsync(ctx, 400, Error("Invalid table_sys_id or file_name", null)); return; }
            lock (Sync) t.Attachments.Add(name);
            await WriteJsonAsync(ctx, 201, new JsonObject { ["result"] = new JsonObject { ["sys_id"] = NewSysId(), ["file_name"] = name, ["table_sys_id"] = id } });
        });
    }

    static string NewSysId() => Guid.NewGuid().ToString("n");

    static void Sync_(StoredTicket t)
    {
        t.Status = S(t.Fields["state"]) ?? "1";
        t.Priority = $"{S(t.Fields["urgency"]) ?? "3"}{S(t.Fields["impact"]) ?? "3"}";
    }

    (int, JsonNode) Create(string table, JsonObject? input)
    {
        if (input is null) return (400, Error("Exception while reading request", "Invalid JSON"));
        var sysId = NewSysId();
        lock (Sync)
        {
            if (table == "sys_user")
            {
                // sys_user.user_name has a unique index: a second insert of the same name fails the insert.
                if (StoredContacts.Any(c => string.Equals(S(c.Fields["user_name"]), S(input["user_name"]), StringComparison.OrdinalIgnoreCase)))
                    return (403, Error("Operation Failed", $"Error during insert of sys_user ({S(input["user_name"])})"));
                var fields = (JsonObject)input.DeepClone();
                fields["sys_id"] = sysId;
                fields["name"] = $"{S(input["first_name"])} {S(input["last_name"])}".Trim();
                StoredContacts.Add(new StoredContact { Id = sysId, Email = S(input["email"]), Phone = S(input["phone"]), Name = S(fields["name"]), Fields = fields });
                return (201, new JsonObject { ["result"] = fields.DeepClone() });
            }
            if (table != "incident") return (400, Error($"Invalid table {table}", null));
            if (S(input["short_description"]) is null) return (400, Error("Mandatory field missing", "short_description"));
            if (S(input["caller_id"]) is { } caller && StoredContacts.All(c => c.Id != caller)) return (400, Error("Invalid reference", "caller_id"));
            var ticket = new StoredTicket
            {
                Id = sysId, ConversationId = S(input["correlation_id"]), Subject = S(input["short_description"])!, Description = S(input["description"]) ?? "",
                RequesterId = S(input["caller_id"]), Queue = S(input["assignment_group"]), Fields = (JsonObject)input.DeepClone(),
            };
            ticket.Fields["sys_id"] = sysId;
            ticket.Fields["number"] = $"INC{StoredTickets.Count + 10001:D7}";
            ticket.Fields["state"] = "1";
            Sync_(ticket);
            StoredTickets.Add(ticket);
            return (201, new JsonObject { ["result"] = ticket.Fields.DeepClone() });
        }
    }

    public override Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        var t = Ticket(ticketId)!;
        lock (Sync)
        {
            if (kind == FakeWebhookKind.StatusSolved) { t.Fields["state"] = "6"; Sync_(t); }
            else t.Comments.Add(new FakeComment(text, kind == FakeWebhookKind.AgentPublicReply));
        }
        var payload = new JsonObject
        {
            ["event_id"] = Guid.NewGuid().ToString(),
            ["sys_id"] = ticketId,
            ["number"] = S(t.Fields["number"]),
            ["correlation_id"] = t.ConversationId,
            ["element"] = kind switch { FakeWebhookKind.AgentPublicReply => "comments", FakeWebhookKind.InternalNote => "work_notes", _ => "state" },
            ["value"] = kind == FakeWebhookKind.StatusSolved ? "6" : text,
            ["author"] = "beth.anglin",
            ["created_on"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss"),
        };
        return SendHubSignedAsync(target, payload, webhookSecret, cancellationToken);
    }
}
