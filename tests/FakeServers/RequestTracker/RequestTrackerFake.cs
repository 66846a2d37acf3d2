using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.RequestTracker;

/// <summary>
/// RT 5 REST2 fake (vendor-contracts.md §9): <c>Authorization: token</c> or Basic, JSON user search,
/// users, TicketSQL on a ticket custom field, tickets, correspond/comment with base64 attachments,
/// <c>{"message"}</c> errors. RT has no rate limit and no webhooks; the real RT 5 is tested as well.
/// </summary>
public sealed partial class RequestTrackerFake(string token = "1-14-rtfaketoken", string conversationField = "ChatSessionId") : StatefulFake
{
    public override string Vendor => "requesttracker";
    public string Token => token;

    protected override string HubStatus(string s) => s switch { "stalled" => "pending", "resolved" => "solved", "rejected" or "deleted" => "closed", _ => "open" };
    protected override string HubPriority(string p) => int.Parse(p, CultureInfo.InvariantCulture) switch { < 25 => "low", < 70 => "normal", < 90 => "high", _ => "urgent" };

    protected override bool Authorize(HttpContext context) => Bearer(context, "token") == token || BasicCredentials(context) == "root:password";

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => Message(context, 400, message);

    protected override Task WriteUnauthorizedAsync(HttpContext context) => WriteJsonAsync(context, 401, new JsonObject { ["message"] = "Unauthorized" });

    static Task Message(HttpContext ctx, int status, string message) => WriteJsonAsync(ctx, status, new JsonObject { ["message"] = message });

    [GeneratedRegex(@"^CF\.\{(?<field>[^}]+)\}\s*=\s*'(?<value>.*)'$")]
    private static partial Regex CustomFieldQuery();

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/REST/2.0/rt", ctx => WriteJsonAsync(ctx, 200, new JsonObject { ["Version"] = "5.0.3", ["Plugins"] = new JsonArray() }));
        app.MapGet("/REST/2.0/queue/{name}", ctx => ctx.Request.RouteValues["name"]?.ToString() is "General" or "1" or "Billing"
            ? WriteJsonAsync(ctx, 200, new JsonObject { ["id"] = 1, ["Name"] = ctx.Request.RouteValues["name"]?.ToString() })
            : Message(ctx, 404, "Resource does not exist"));
        app.MapPost("/REST/2.0/users", async ctx =>
        {
            var search = await ReadJsonAsync(ctx) as JsonArray ?? [];
            var field = S(search.FirstOrDefault()?["field"]);
            var value = S(search.FirstOrDefault()?["value"]);
            JsonArray items;
            lock (Sync)
                items = new(StoredContacts.Where(c => string.Equals(S(c.Fields[field ?? ""]), value, StringComparison.OrdinalIgnoreCase))
                    .Select(c => (JsonNode?)new JsonObject { ["type"] = "user", ["id"] = c.Id, ["_url"] = $"{BaseUrl}REST/2.0/user/{c.Id}" }).ToArray());
            await WriteJsonAsync(ctx, 200, Page(items));
        });
        app.MapGet("/REST/2.0/user/{id}", ctx =>
        {
            lock (Sync)
                return StoredContacts.FirstOrDefault(c => c.Id == ctx.Request.RouteValues["id"]?.ToString()) is { } c
                    ? WriteJsonAsync(ctx, 200, c.Fields.DeepClone()) : Message(ctx, 404, "Resource does not exist");
        });
        app.MapPost("/REST/2.0/user", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            string? id = null;
            lock (Sync)
                if (S(input["Name"]) is { } name && StoredContacts.All(c => !string.Equals(S(c.Fields["Name"]), name, StringComparison.OrdinalIgnoreCase)))
                {
                    id = NextId();
                    var fields = (JsonObject)input.DeepClone();
                    fields["id"] = long.Parse(id, CultureInfo.InvariantCulture);
                    StoredContacts.Add(new StoredContact { Id = id, Email = S(input["EmailAddress"]), Phone = S(input["MobilePhone"]), Name = S(input["RealName"]), Fields = fields });
                }
            if (id is null) { await Message(ctx, 400, "Name in use"); return; }
            await WriteJsonAsync(ctx, 201, new JsonObject { ["type"] = "user", ["id"] = id, ["_url"] = $"{BaseUrl}REST/2.0/user/{id}" });
        });
        app.MapGet("/REST/2.0/tickets", ctx =>
        {
            var match = CustomFieldQuery().Match(ctx.Request.Query["query"].ToString().Trim());
            if (!match.Success) return Message(ctx, 400, "Invalid query");
            JsonArray items;
            lock (Sync)
                items = new(StoredTickets.Where(t => S(t.Fields["CustomFields"]?[match.Groups["field"].Value]) == match.Groups["value"].Value.Replace("\\'", "'"))
                    .Select(t => (JsonNode?)new JsonObject { ["type"] = "ticket", ["id"] = t.Id, ["_url"] = $"{BaseUrl}REST/2.0/ticket/{t.Id}" }).ToArray());
            return WriteJsonAsync(ctx, 200, Page(items));
        });
        app.MapPost("/REST/2.0/ticket", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            if (S(input["Queue"]) is null) { await Message(ctx, 400, "Could not create ticket. Queue not set"); return; }
            var ticket = new StoredTicket
            {
                Id = NextId(), Subject = S(input["Subject"]) ?? "", Description = S(input["Content"]) ?? "", Status = "new",
                Priority = S(input["Priority"]) ?? "0", Queue = S(input["Queue"]), Fields = (JsonObject)input.DeepClone(),
                ConversationId = S(input["CustomFields"]?[conversationField]),
            };
            lock (Sync)
            {
                var requestor = S(input["Requestor"]);
                ticket.RequesterId = StoredContacts.FirstOrDefault(c => string.Equals(c.Email, requestor, StringComparison.OrdinalIgnoreCase) || c.Id == requestor)?.Id ?? requestor;
                StoredTickets.Add(ticket);
            }
            ctx.Response.Headers.Location = $"{BaseUrl}REST/2.0/ticket/{ticket.Id}";
            await WriteJsonAsync(ctx, 201, new JsonObject { ["_url"] = $"{BaseUrl}REST/2.0/ticket/{ticket.Id}", ["type"] = "ticket", ["id"] = ticket.Id });
        });
        app.MapPost("/REST/2.0/ticket/{id}/correspond", AddTransaction);
        app.MapPost("/REST/2.0/ticket/{id}/comment", AddTransaction);
        async Task AddTransaction(HttpContext ctx)
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) { await Message(ctx, 404, "Resource does not exist"); return; }
            var files = (input["Attachments"] as JsonArray ?? []).ToList();
            if (S(input["Content"]) is null && files.Count == 0) { await Message(ctx, 400, "No Content provided"); return; }
            foreach (var f in files)
                if (S(f?["FileName"]) is null || S(f?["FileType"]) is null || S(f?["FileContent"]) is not { } b64 || !IsBase64(b64))
                { await Message(ctx, 400, "FileName, FileType and base64 FileContent are required"); return; }
            var correspond = ctx.Request.Path.Value!.EndsWith("/correspond", StringComparison.Ordinal);
            lock (Sync)
            {
                t.Comments.Add(new FakeComment(S(input["Content"]) ?? "", correspond));
                t.Attachments.AddRange(files.Select(f => S(f!["FileName"])!));
                if (t.Status == "new" && correspond) t.Status = "open";
            }
            await WriteJsonAsync(ctx, 201, new JsonArray(correspond ? "Correspondence added" : "Comments added"));
        }
        app.MapPut("/REST/2.0/ticket/{id}", async ctx =>
        {
            var input = await ReadJsonAsync(ctx) as JsonObject ?? [];
            if (Ticket(ctx.Request.RouteValues["id"]?.ToString()) is not { } t) { await Message(ctx, 404, "Resource does not exist"); return; }
            var messages = new JsonArray();
            lock (Sync)
            {
                if (S(input["Status"]) is { } s)
                {
                    if (s is not ("new" or "open" or "stalled" or "resolved" or "rejected" or "deleted")) messages.Add($"Status '{s}' isn't a valid status for this ticket.");
                    else { messages.Add($"Ticket {t.Id}: Status changed from '{t.Status}' to '{s}'"); t.Status = s; }
                }
                if (S(input["Priority"]) is { } p) { messages.Add($"Ticket {t.Id}: Priority changed from '{t.Priority}' to '{p}'"); t.Priority = p; }
            }
            await WriteJsonAsync(ctx, 200, messages);
        });
    }

    static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    static JsonObject Page(JsonArray items) => new() { ["count"] = items.Count, ["page"] = 1, ["pages"] = 1, ["per_page"] = 20, ["total"] = items.Count, ["items"] = items };

    public override Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("RT 5 has no webhooks");
}
