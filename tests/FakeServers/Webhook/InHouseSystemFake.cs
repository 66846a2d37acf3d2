using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.Webhook;

/// <summary>
/// An in-house system receiving the generic connector's signed events at <c>POST /hub-events</c>:
/// checks <c>X-Hub-Signature-256</c> over <c>timestamp + "." + body</c>, de-duplicates by
/// <c>Idempotency-Key</c>, keeps tickets, and signs the events it sends back the same way.
/// </summary>
public sealed class InHouseSystemFake(string secret = "in-house-secret") : FakeVendorServer
{
    readonly List<JsonObject> tickets = [];
    readonly Dictionary<string, string> answered = [];
    int nextId = 5000;

    public override string Vendor => "webhook";
    public string Secret => secret;
    public Uri EventsUrl => new(BaseUrl, "hub-events");

    public override IReadOnlyList<FakeTicket> Tickets
    {
        get
        {
            lock (Sync)
                return tickets.Select(t => new FakeTicket(S(t["id"])!, S(t["conversationId"]), S(t["subject"]) ?? "", S(t["description"]) ?? "",
                    S(t["status"]) ?? "open", S(t["priority"]) ?? "normal", S(t["requester"]?["externalId"]), S(t["packet"]?["queue"]),
                    ((JsonArray)t["_comments"]!).Select(c => new FakeComment(S(c!["body"])!, S(c["visibility"]) == "public")).ToList(),
                    ((JsonArray)t["_files"]!).Select(f => S(f)!).ToList())).ToList();
        }
    }

    public override IReadOnlyList<FakeContact> Contacts => [];

    static readonly byte[] Dot = "."u8.ToArray();

    protected override bool Authorize(HttpContext context)
    {
        var timestamp = context.Request.Headers["X-Hub-Timestamp"].ToString();
        var signature = context.Request.Headers["X-Hub-Signature-256"].ToString();
        context.Request.Body.Position = 0;
        using var copy = new MemoryStream();
        context.Request.Body.CopyTo(copy);
        context.Request.Body.Position = 0;
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp).Concat(Dot).Concat(copy.ToArray()).ToArray()));
        return timestamp.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 422, new JsonObject { ["error"] = message });

    protected override Task WriteUnauthorizedAsync(HttpContext context) => WriteJsonAsync(context, 401, new JsonObject { ["error"] = "bad signature" });

    protected override void MapRoutes(WebApplication app) => app.MapPost("/hub-events", Receive);

    async Task Receive(HttpContext ctx)
    {
        var key = ctx.Request.Headers["Idempotency-Key"].ToString();
        var input = await ReadJsonAsync(ctx) as JsonObject;
        if (input is null) { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "body must be a JSON object" }); return; }
        var (status, body) = Apply(key, input);
        await WriteJsonAsync(ctx, status, body);
    }

    (int, JsonNode) Apply(string key, JsonObject input)
    {
        lock (Sync)
        {
            if (key.Length > 0 && answered.TryGetValue(key, out var previous)) return (200, JsonNode.Parse(previous)!);
            JsonObject? Ticket() => tickets.FirstOrDefault(t => S(t["id"]) == S(input["ticketId"]));
            JsonNode result;
            switch (S(input["type"]))
            {
                case "ping":
                    result = new JsonObject { ["ok"] = true };
                    break;
                case "ticket.create":
                    if (S(input["conversationId"]) is null) return (422, new JsonObject { ["error"] = "conversationId is required" });
                    var id = (nextId++).ToString(CultureInfo.InvariantCulture);
                    var ticket = (JsonObject)input.DeepClone();
                    ticket["id"] = id;
                    ticket["status"] = "open";
                    ticket["priority"] = S(input["packet"]?["priority"]) ?? "normal";
                    ticket["_comments"] = new JsonArray();
                    ticket["_files"] = new JsonArray();
                    tickets.Add(ticket);
                    result = new JsonObject { ["id"] = id, ["url"] = $"{BaseUrl}tickets/{id}" };
                    break;
                case "ticket.messages":
                    if (Ticket() is not { } t1) return (404, new JsonObject { ["error"] = "unknown ticket" });
                    foreach (var m in (JsonArray)input["messages"]!) ((JsonArray)t1["_comments"]!).Add(m!.DeepClone());
                    result = new JsonObject { ["ok"] = true };
                    break;
                case "ticket.update":
                    if (Ticket() is not { } t2) return (404, new JsonObject { ["error"] = "unknown ticket" });
                    if (S(input["status"]) is { } s) t2["status"] = s;
                    if (S(input["priority"]) is { } p) t2["priority"] = p;
                    result = new JsonObject { ["ok"] = true };
                    break;
                case "ticket.transcript":
                    if (Ticket() is not { } t3) return (404, new JsonObject { ["error"] = "unknown ticket" });
                    ((JsonArray)t3["_files"]!).Add(S(input["fileName"]));
                    result = new JsonObject { ["ok"] = true };
                    break;
                default:
                    return (422, new JsonObject { ["error"] = $"unknown event type {S(input["type"])}" });
            }
            if (key.Length > 0) answered[key] = result.ToJsonString();
            return (200, result);
        }
    }

    public override async Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        string? conversation;
        lock (Sync) conversation = S(tickets.First(t => S(t["id"]) == ticketId)["conversationId"]);
        var payload = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = kind switch { FakeWebhookKind.AgentPublicReply => "agent.reply", FakeWebhookKind.InternalNote => "agent.note", _ => "ticket.status" },
            ["ticketId"] = ticketId,
            ["conversationId"] = conversation,
            ["body"] = kind == FakeWebhookKind.StatusSolved ? null : text,
            ["author"] = "Agent Smith",
            ["status"] = kind == FakeWebhookKind.StatusSolved ? "solved" : null,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("o"),
        };
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Timestamp", timestamp);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp).Concat(Dot).Concat(body).ToArray())));
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }
}
