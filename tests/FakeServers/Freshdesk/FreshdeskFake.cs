using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.Freshdesk;

/// <summary>
/// Freshdesk API v2 fake (vendor-contracts.md §2): Basic <c>apiKey:X</c>, contacts filter/create (409
/// duplicate_value), ticket search by custom field, tickets with numeric status/priority, notes
/// (JSON or multipart with <c>attachments[]</c>), <c>X-RateLimit-*</c> headers, 429 + Retry-After,
/// and automation-rule webhooks authenticated by an <c>X-Hub-Token</c> header.
/// </summary>
public sealed class FreshdeskFake(string apiKey = "fd-api-key", string webhookToken = "fd-webhook-token") : StatefulFake
{
    public override string Vendor => "freshdesk";
    public string ApiKey => apiKey;
    public string WebhookToken => webhookToken;

    protected override string HubStatus(string s) => s switch { "3" => "pending", "4" => "solved", "5" => "closed", _ => "open" };
    protected override string HubPriority(string p) => p switch { "1" => "low", "3" => "high", "4" => "urgent", _ => "normal" };

    protected override bool Authorize(HttpContext context) => BasicCredentials(context) is { } c && c.Split(':')[0] == apiKey;

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 400, new JsonObject
    {
        ["description"] = "Validation failed",
        ["errors"] = new JsonArray(new JsonObject { ["field"] = "email", ["message"] = message, ["code"] = "invalid_value" }),
    });

    protected override Task WriteUnauthorizedAsync(HttpContext context) =>
        WriteJsonAsync(context, 401, new JsonObject { ["code"] = "invalid_credentials", ["message"] = "You have to be logged in to perform this action." });

    protected override void AddRateLimitHeaders(HttpContext context, int limit, int remaining)
    {
        context.Response.Headers["X-RateLimit-Total"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Used-CurrentRequest"] = "1";
    }

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        return WriteJsonAsync(context, 429, new JsonObject { ["code"] = "rate_limit_exceeded", ["message"] = "You have exceeded the limit of requests per minute" });
    }

    static JsonObject Validation(string field, string message, string code) => new()
    {
        ["description"] = "Validation failed",
        ["errors"] = new JsonArray(new JsonObject { ["field"] = field, ["message"] = message, ["code"] = code }),
    };

    static Task NotFound(HttpContext ctx) { ctx.Response.StatusCode = 404; return Task.CompletedTask; }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/api/v2/agents/me", ctx => WriteJsonAsync(ctx, 200, new JsonObject { ["id"] = 1, ["contact"] = new JsonObject { ["email"] = "agent@example.test" } }));
        app.MapGet("/api/v2/contacts", ctx =>
        {
            var email = ctx.Request.Query["email"].ToString();
            var phone = ctx.Request.Query["phone"].ToString();
            lock (Sync)
                return WriteJsonAsync(ctx, 200, new JsonArray(StoredContacts
                    .Where(c => (email.Length > 0 && string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)) || (phone.Length > 0 && c.Phone == phone))
                    .Select(Contact).ToArray()));
        });
        app.MapPost("/api/v2/contacts", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            var (status, body) = CreateContact(input);
            await WriteJsonAsync(ctx, status, body);
        });
        app.MapGet("/api/v2/search/tickets", ctx =>
        {
            // query="cf_field:'value'"
            var query = ctx.Request.Query["query"].ToString().Trim('"');
            var colon = query.IndexOf(':');
            var field = colon > 0 ? query[..colon] : "";
            var value = colon > 0 ? query[(colon + 1)..].Trim('\'') : "";
            lock (Sync)
            {
                var results = StoredTickets.Where(t => S(t.Fields["custom_fields"]?[field]) == value).Select(Ticket).ToArray();
                return WriteJsonAsync(ctx, 200, new JsonObject { ["total"] = results.Length, ["results"] = new JsonArray(results) });
            }
        });
        app.MapPost("/api/v2/tickets", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            var (status, body) = CreateTicket(input);
            await WriteJsonAsync(ctx, status, body);
        });
        app.MapGet("/api/v2/tickets/{id}", ctx =>
        {
            lock (Sync) return Ticket(ctx.Request.RouteValues["id"]?.ToString()) is { } t ? WriteJsonAsync(ctx, 200, Ticket(t)) : NotFound(ctx);
        });
        app.MapPut("/api/v2/tickets/{id}", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            lock (Sync)
            {
                if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) { ctx.Response.StatusCode = 404; return; }
                if (input["status"] is { } s && S(s) is not ("2" or "3" or "4" or "5")) { ctx.Response.StatusCode = 400; }
                else
                {
                    if (input["status"] is { } st) t.Status = S(st)!;
                    if (input["priority"] is { } p) t.Priority = S(p)!;
                }
            }
            if (ctx.Response.StatusCode == 400) await WriteJsonAsync(ctx, 400, Validation("status", "It should be one of these values: '2,3,4,5'", "invalid_value"));
            else await WriteJsonAsync(ctx, 200, new JsonObject { ["id"] = ctx.Request.RouteValues["id"]?.ToString() });
        });
        app.MapPost("/api/v2/tickets/{id}/notes", AddNote);
    }

    (int, JsonNode) CreateContact(JsonObject input)
    {
        if (S(input["name"]) is null) return (400, Validation("name", "It should be a/an String", "missing_field"));
        if (S(input["email"]) is null && S(input["phone"]) is null && S(input["mobile"]) is null)
            return (400, Validation("requester_id", "Please fill at least 1 of email, mobile, phone, twitter_id, unique_external_id fields", "missing_field"));
        lock (Sync)
        {
            if (StoredContacts.FirstOrDefault(c => S(input["email"]) is { } e && string.Equals(c.Email, e, StringComparison.OrdinalIgnoreCase)) is { } dup)
                return (409, new JsonObject
                {
                    ["description"] = "Validation failed",
                    ["errors"] = new JsonArray(new JsonObject { ["field"] = "email", ["additional_info"] = new JsonObject { ["user_id"] = long.Parse(dup.Id, CultureInfo.InvariantCulture) }, ["message"] = "It should be a unique value", ["code"] = "duplicate_value" }),
                });
            var contact = new StoredContact { Id = NextId(), Email = S(input["email"]), Phone = S(input["phone"]), Name = S(input["name"]) };
            StoredContacts.Add(contact);
            return (201, Contact(contact));
        }
    }

    (int, JsonNode) CreateTicket(JsonObject input)
    {
        if (S(input["description"]) is null) return (400, Validation("description", "It should be a/an String", "missing_field"));
        if (S(input["subject"]) is null) return (400, Validation("subject", "It should be a/an String", "missing_field"));
        lock (Sync)
        {
            if (S(input["requester_id"]) is { } rid && StoredContacts.All(c => c.Id != rid)) return (400, Validation("requester_id", "There is no contact matching the given requester_id", "invalid_value"));
            var ticket = new StoredTicket
            {
                Id = NextId(), Subject = S(input["subject"])!, Description = S(input["description"])!, Status = S(input["status"]) ?? "2",
                Priority = S(input["priority"]) ?? "1", RequesterId = S(input["requester_id"]), Queue = S(input["group_id"]), Fields = (JsonObject)input.DeepClone(),
            };
            ticket.ConversationId = S(input["custom_fields"]?["cf_chat_session"]);
            StoredTickets.Add(ticket);
            return (201, Ticket(ticket));
        }
    }

    async Task AddNote(HttpContext ctx)
    {
        string? body;
        bool isPrivate;
        var files = new List<string>();
        if (ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync();
            body = form["body"].ToString();
            isPrivate = form["private"].ToString() != "false";
            files.AddRange(form.Files.Where(f => f.Name == "attachments[]").Select(f => f.FileName));
        }
        else
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            body = S(input["body"]);
            isPrivate = input["private"]?.GetValue<bool>() ?? true;
        }
        if (string.IsNullOrEmpty(body)) { await WriteJsonAsync(ctx, 400, Validation("body", "It should be a/an String", "missing_field")); return; }
        lock (Sync)
        {
            if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) { ctx.Response.StatusCode = 404; return; }
            t.Comments.Add(new FakeComment(System.Net.WebUtility.HtmlDecode(body), !isPrivate));
            t.Attachments.AddRange(files);
        }
        await WriteJsonAsync(ctx, 201, new JsonObject { ["id"] = NextId(), ["body"] = body, ["private"] = isPrivate, ["ticket_id"] = ctx.Request.RouteValues["id"]?.ToString() });
    }

    static JsonObject Contact(StoredContact c) => new() { ["id"] = long.Parse(c.Id, CultureInfo.InvariantCulture), ["name"] = c.Name, ["email"] = c.Email, ["phone"] = c.Phone };

    static JsonObject Ticket(StoredTicket t)
    {
        var json = (JsonObject)t.Fields.DeepClone();
        json["id"] = long.Parse(t.Id, CultureInfo.InvariantCulture);
        json["status"] = int.Parse(t.Status, CultureInfo.InvariantCulture);
        json["priority"] = int.Parse(t.Priority, CultureInfo.InvariantCulture);
        return json;
    }

    public override async Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        var t = Ticket(ticketId) ?? throw new InvalidOperationException($"no ticket {ticketId}");
        lock (Sync)
        {
            if (kind == FakeWebhookKind.StatusSolved) t.Status = "4";
            else t.Comments.Add(new FakeComment(text, kind == FakeWebhookKind.AgentPublicReply));
        }
        var payload = new JsonObject
        {
            ["event_id"] = Guid.NewGuid().ToString(),
            ["event"] = kind switch { FakeWebhookKind.AgentPublicReply => "reply_sent", FakeWebhookKind.InternalNote => "note_added", _ => "status_changed" },
            ["ticket_id"] = ticketId,
            ["body"] = kind == FakeWebhookKind.StatusSolved ? null : text,
            ["private"] = kind == FakeWebhookKind.InternalNote,
            ["incoming"] = false,
            ["agent_name"] = "Agent Smith",
            ["status"] = kind == FakeWebhookKind.StatusSolved ? 4 : null,
            ["triggered_at"] = DateTimeOffset.UtcNow.ToString("o"),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Token", webhookToken);
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }
}
