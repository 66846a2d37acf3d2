using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.Zendesk;

/// <summary>
/// Zendesk Support API v2 fake (vendor-contracts.md §1): Basic <c>{email}/token:{token}</c>, users search
/// and create_or_update, tickets with <c>Idempotency-Key</c> (<c>x-idempotency-lookup</c>), comments by
/// ticket update, uploads, <c>X-Rate-Limit*</c> headers, 429 text body with Retry-After, signed webhooks.
/// </summary>
/// <remarks>
/// Like Zendesk, an API token is the account's: any agent's e-mail with it authenticates as that agent, who
/// then authors the comments of their ticket updates. Event-subscription webhooks created through
/// <c>POST /api/v2/webhooks</c> receive a signed <c>ticket.comment_added</c> / <c>ticket.status_changed</c>
/// delivery for every such change made through the API (the hub's own included, as Zendesk does), one
/// event per request, in order, after the API call has answered; <see cref="WebhookDeliveries"/> keeps each.
/// </remarks>
public sealed class ZendeskFake(string email = "agent@example.test", string apiToken = "zd-api-token", string signingSecret = "zd-signing-secret") : FakeVendorServer
{
    public const string CommentAddedEvent = "zen:event-type:ticket.comment_added";
    public const string StatusChangedEvent = "zen:event-type:ticket.status_changed";
    /// <summary>The agent seeded with the fake (id 7), who answers tickets in tests through the API.</summary>
    public const string AgentName = "Agent Smith", AgentEmail = "smith@example.test";

    readonly List<JsonObject> users =
    [
        new JsonObject { ["id"] = 1L, ["name"] = "API Agent", ["email"] = email, ["role"] = "admin" },
        new JsonObject { ["id"] = 7L, ["name"] = AgentName, ["email"] = AgentEmail, ["role"] = "agent" },
    ];
    readonly List<JsonObject> webhooks = [];
    readonly List<ZendeskWebhookDelivery> deliveries = [];
    Task deliveryChain = Task.CompletedTask;
    /// <summary>HttpContext item: the id of the user the request authenticated as.</summary>
    const string ActingUser = "zendesk-user-id";
    readonly List<JsonObject> tickets = [];
    readonly Dictionary<string, JsonObject> uploads = [];
    readonly Dictionary<string, (string Body, JsonObject Ticket)> idempotency = [];
    long nextId = 100;

    public override string Vendor => "zendesk";
    public string Email => email;
    public string ApiToken => apiToken;
    public string SigningSecret => signingSecret;

    public override IReadOnlyList<FakeTicket> Tickets
    {
        get
        {
            lock (Sync)
                return tickets.Select(t =>
                {
                    var comments = (JsonArray)t["_comments"]!;
                    return new FakeTicket(S(t["id"])!, S(t["external_id"]), S(t["subject"]) ?? "", S(comments[0]!["body"]) ?? "",
                        HubStatus(S(t["status"])!), S(t["priority"]) ?? "normal", S(t["requester_id"]), S(t["group_id"]),
                        comments.Skip(1).Select(c => new FakeComment(S(c!["body"])!, (bool)c["public"]!)).ToList(),
                        comments.SelectMany(c => (c!["attachments"] as JsonArray ?? []).Select(a => S(a!["file_name"])!)).ToList());
                }).ToList();
        }
    }

    public override IReadOnlyList<FakeContact> Contacts
    {
        get
        {
            lock (Sync)
                return users.Where(u => S(u["role"]) == "end-user").Select(u => new FakeContact(S(u["id"])!, S(u["email"]), S(u["phone"]), S(u["name"]))).ToList();
        }
    }

    static string HubStatus(string status) => status switch { "new" or "open" => "open", "hold" => "pending", _ => status };

    /// <summary>Every webhook delivery so far (the hub's own echoes included), oldest first.</summary>
    public IReadOnlyList<ZendeskWebhookDelivery> WebhookDeliveries
    {
        get
        {
            lock (Sync) return deliveries.ToList();
        }
    }

    /// <summary>Completes when every delivery queued so far has been answered (or failed).</summary>
    public Task WebhookDeliveriesSettledAsync()
    {
        lock (Sync) return deliveryChain;
    }

    /// <summary>Sends a recorded delivery again, as Zendesk does when it did not get a 2xx in time: same event id and body, signed anew.</summary>
    public async Task<HttpResponseMessage> RedeliverAsync(ZendeskWebhookDelivery delivery, CancellationToken cancellationToken = default) =>
        await PostSignedAsync(delivery.Endpoint, delivery.Body, cancellationToken);

    /// <summary>Zendesk API tokens belong to the account: an agent's or admin's e-mail plus the token acts as that user.</summary>
    protected override bool Authorize(HttpContext context)
    {
        JsonObject? user = null;
        if (Bearer(context) == apiToken) user = users[0];
        else if (BasicCredentials(context) is { } credentials && credentials.EndsWith($"/token:{apiToken}", StringComparison.Ordinal))
        {
            var login = credentials[..^$"/token:{apiToken}".Length];
            lock (Sync)
                user = users.FirstOrDefault(u => S(u["role"]) is "agent" or "admin" && string.Equals(S(u["email"]), login, StringComparison.OrdinalIgnoreCase));
        }
        if (user is null) return false;
        context.Items[ActingUser] = S(user["id"]);
        return true;
    }

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 422, new JsonObject
    {
        ["error"] = "RecordInvalid", ["description"] = "Record validation errors",
        ["details"] = new JsonObject { ["base"] = new JsonArray(new JsonObject { ["description"] = message, ["error"] = "InvalidValue" }) },
    });

    protected override Task WriteUnauthorizedAsync(HttpContext context) =>
        WriteJsonAsync(context, 401, new JsonObject { ["error"] = "Couldn't authenticate you" });

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        // Documented 429: text/html with a plain-text body, Retry-After in seconds.
        context.Response.StatusCode = 429;
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync("Number of allowed API requests per minute exceeded");
    }

    protected override void AddRateLimitHeaders(HttpContext context, int limit, int remaining)
    {
        context.Response.Headers["X-Rate-Limit"] = limit.ToString();
        context.Response.Headers["X-Rate-Limit-Remaining"] = remaining.ToString();
    }

    protected override void MapRoutes(WebApplication app)
    {
        void Map(string method, string pattern, RequestDelegate handler)
        {
            app.MapMethods(pattern, [method], handler);
            app.MapMethods(pattern + ".json", [method], handler);
        }
        Map("GET", "/api/v2/users/me", ctx =>
        {
            lock (Sync) return WriteJsonAsync(ctx, 200, new JsonObject { ["user"] = users.First(u => S(u["id"]) == (string?)ctx.Items[ActingUser]).DeepClone() });
        });
        Map("GET", "/api/v2/users/search", SearchUsers);
        Map("POST", "/api/v2/users/create_or_update", CreateOrUpdateUser);
        Map("GET", "/api/v2/tickets", ListTickets);
        Map("POST", "/api/v2/tickets", CreateTicket);
        Map("GET", "/api/v2/tickets/{id}", ctx =>
        {
            lock (Sync)
                return Find(ctx) is { } t ? WriteJsonAsync(ctx, 200, new JsonObject { ["ticket"] = Public(t) }) : NotFound(ctx);
        });
        Map("PUT", "/api/v2/tickets/{id}", UpdateTicket);
        Map("GET", "/api/v2/tickets/{id}/comments", ctx =>
        {
            lock (Sync)
                return Find(ctx) is { } t ? WriteJsonAsync(ctx, 200, new JsonObject { ["comments"] = t["_comments"]!.DeepClone(), ["next_page"] = null, ["previous_page"] = null, ["count"] = ((JsonArray)t["_comments"]!).Count }) : NotFound(ctx);
        });
        Map("POST", "/api/v2/uploads", Upload);
        Map("POST", "/api/v2/webhooks", CreateWebhook);
    }

    /// <summary>
    /// An event-subscription webhook (https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/):
    /// JSON POSTs to <c>endpoint</c> for the listed <c>subscriptions</c>. Every webhook here signs with the fake's
    /// <see cref="SigningSecret"/> (Zendesk gives each its own, read at <c>GET /api/v2/webhooks/{id}/signing_secret</c>).
    /// </summary>
    async Task CreateWebhook(HttpContext ctx)
    {
        if ((await ReadJsonAsync(ctx))?["webhook"] is not JsonObject input) { await Invalid(ctx, "webhook", "is required"); return; }
        if (!Uri.TryCreate(S(input["endpoint"]), UriKind.Absolute, out var endpoint)) { await Invalid(ctx, "endpoint", "must be an absolute URL"); return; }
        if (S(input["http_method"]) is { } method && method != "POST") { await Invalid(ctx, "http_method", "event-subscription webhooks use POST"); return; }
        if (S(input["request_format"]) is { } format && format != "json") { await Invalid(ctx, "request_format", "event-subscription webhooks use json"); return; }
        if (input["subscriptions"] is not JsonArray { Count: > 0 } subscriptions) { await Invalid(ctx, "subscriptions", "cannot be blank"); return; }
        JsonObject webhook;
        lock (Sync)
        {
            webhook = new JsonObject
            {
                ["id"] = $"01WEBHOOK{nextId++}",
                ["name"] = input["name"]?.DeepClone() ?? "webhook",
                ["status"] = input["status"]?.DeepClone() ?? "active",
                ["endpoint"] = endpoint.ToString(),
                ["http_method"] = "POST",
                ["request_format"] = "json",
                ["subscriptions"] = subscriptions.DeepClone(),
                ["created_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            };
            webhooks.Add(webhook);
            webhook = (JsonObject)webhook.DeepClone();
        }
        await WriteJsonAsync(ctx, 201, new JsonObject { ["webhook"] = webhook });
    }

    Task SearchUsers(HttpContext ctx)
    {
        var query = ctx.Request.Query["query"].ToString();
        var externalId = ctx.Request.Query["external_id"].ToString();
        lock (Sync)
        {
            var found = users.Where(u =>
                externalId.Length > 0 ? string.Equals(S(u["external_id"]), externalId, StringComparison.OrdinalIgnoreCase)
                : query.StartsWith("email:", StringComparison.Ordinal) ? string.Equals(S(u["email"]), query[6..], StringComparison.OrdinalIgnoreCase)
                : query.StartsWith("phone:", StringComparison.Ordinal) ? S(u["phone"]) == query[6..]
                : (S(u["name"]) ?? "").Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
            return WriteJsonAsync(ctx, 200, new JsonObject { ["users"] = new JsonArray(found.Select(u => (JsonNode?)u.DeepClone()).ToArray()), ["next_page"] = null, ["previous_page"] = null, ["count"] = found.Count });
        }
    }

    async Task CreateOrUpdateUser(HttpContext ctx)
    {
        if ((await ReadJsonAsync(ctx))?["user"] is not JsonObject input) { await Invalid(ctx, "user", "is required"); return; }
        var mail = S(input["email"]);
        var external = S(input["external_id"]);
        if (mail is null && external is null && S(input["name"]) is null) { await Invalid(ctx, "name", "cannot be blank"); return; }
        JsonObject user;
        bool created;
        lock (Sync)
        {
            var existing = users.FirstOrDefault(u => (mail is not null && string.Equals(S(u["email"]), mail, StringComparison.OrdinalIgnoreCase))
                || (external is not null && string.Equals(S(u["external_id"]), external, StringComparison.OrdinalIgnoreCase)));
            created = existing is null;
            user = existing ?? new JsonObject { ["id"] = nextId++, ["role"] = "end-user" };
            foreach (var key in new[] { "name", "email", "phone", "external_id", "role" })
                if (input[key] is { } value) user[key] = value.DeepClone();
            if (created) users.Add(user);
            user = (JsonObject)user.DeepClone();
        }
        ctx.Response.Headers.Location = $"{BaseUrl}api/v2/users/{S(user["id"])}.json";
        await WriteJsonAsync(ctx, created ? 201 : 200, new JsonObject { ["user"] = user });
    }

    Task ListTickets(HttpContext ctx)
    {
        var externalId = ctx.Request.Query["external_id"].ToString();
        lock (Sync)
        {
            var found = tickets.Where(t => externalId.Length == 0 || S(t["external_id"]) == externalId).Select(Public).ToArray();
            return WriteJsonAsync(ctx, 200, new JsonObject { ["tickets"] = new JsonArray(found), ["next_page"] = null, ["previous_page"] = null, ["count"] = found.Length });
        }
    }

    async Task CreateTicket(HttpContext ctx)
    {
        var raw = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        var key = ctx.Request.Headers["Idempotency-Key"].ToString();
        JsonObject? input = null;
        try { input = JsonNode.Parse(raw)?["ticket"] as JsonObject; } catch (System.Text.Json.JsonException) { }
        if (input is null) { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "InvalidJSON", ["description"] = "ticket is required" }); return; }
        JsonNode result;
        lock (Sync)
        {
            if (key.Length > 0 && idempotency.TryGetValue(key, out var seen))
            {
                if (seen.Body != raw)
                {
                    ctx.Response.StatusCode = 400;
                    result = new JsonObject { ["error"] = "IdempotentRequestError", ["description"] = "Idempotency key reused with a different body" };
                }
                else
                {
                    ctx.Response.Headers["x-idempotency-lookup"] = "hit";
                    ctx.Response.StatusCode = 201;
                    result = new JsonObject { ["ticket"] = Public(seen.Ticket) };
                }
            }
            else if (S(input["comment"]?["body"]) is not { Length: > 0 })
            {
                ctx.Response.StatusCode = 422;
                result = InvalidBody("description", "Description: cannot be blank");
            }
            else if (input["requester_id"] is { } rid && !users.Any(u => S(u["id"]) == S(rid)))
            {
                ctx.Response.StatusCode = 422;
                result = InvalidBody("requester", "Requester: is invalid");
            }
            else
            {
                var id = nextId++;
                var ticket = new JsonObject
                {
                    ["id"] = id,
                    ["url"] = $"{BaseUrl}api/v2/tickets/{id}.json",
                    ["status"] = "new",
                    ["priority"] = input["priority"]?.DeepClone() ?? "normal",
                    ["_comments"] = new JsonArray(Comment(input["comment"]!.AsObject(), S(input["requester_id"]))),
                };
                foreach (var k in new[] { "subject", "requester_id", "external_id", "group_id", "tags", "custom_fields", "type" })
                    if (input[k] is { } v) ticket[k] = v.DeepClone();
                tickets.Add(ticket);
                if (key.Length > 0) { idempotency[key] = (raw, ticket); ctx.Response.Headers["x-idempotency-lookup"] = "miss"; }
                ctx.Response.StatusCode = 201;
                ctx.Response.Headers.Location = $"{BaseUrl}api/v2/tickets/{id}.json";
                result = new JsonObject { ["ticket"] = Public(ticket), ["audit"] = new JsonObject { ["ticket_id"] = id } };
            }
        }
        await WriteJsonAsync(ctx, ctx.Response.StatusCode, result);
    }

    async Task UpdateTicket(HttpContext ctx)
    {
        var input = (await ReadJsonAsync(ctx))?["ticket"] as JsonObject;
        if (input is null) { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "InvalidJSON", ["description"] = "ticket is required" }); return; }
        var (status, body) = ApplyUpdate(ctx, input);
        await WriteJsonAsync(ctx, status, body);
    }

    (int, JsonNode) ApplyUpdate(HttpContext ctx, JsonObject input)
    {
        lock (Sync)
        {
            if (Find(ctx) is not { } ticket) return (404, new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" });
            var previousStatus = S(ticket["status"]);
            if (S(input["status"]) is { } status && status is not ("new" or "open" or "pending" or "hold" or "solved" or "closed"))
                return (422, InvalidBody("status", $"Status: {status} is not valid"));
            if (S(input["priority"]) is { } priority && priority is not ("low" or "normal" or "high" or "urgent"))
                return (422, InvalidBody("priority", $"Priority: {priority} is not valid"));
            if (input["comment"] is JsonObject comment)
            {
                var comments = (JsonArray)ticket["_comments"]!;
                if (comments.Count >= 5000) return (422, InvalidBody("comment", "Ticket has reached the 5000 comment limit"));
                var stored = Comment(comment, S(comment["author_id"]) ?? (string?)ctx.Items[ActingUser] ?? "1");
                if (comment["uploads"] is JsonArray tokens)
                {
                    var files = new JsonArray();
                    foreach (var token in tokens.Select(S))
                    {
                        if (token is null || !uploads.Remove(token, out var upload)) return (422, InvalidBody("uploads", "Upload token is invalid or expired"));
                        files.Add(upload);
                    }
                    stored["attachments"] = files;
                }
                comments.Add(stored);
                if (S(ticket["status"]) == "new") ticket["status"] = "open";
                Emit(ticket, CommentAddedEvent, new JsonObject { ["comment"] = CommentEvent(stored) });
            }
            if (input["status"] is { } s) ticket["status"] = s.DeepClone();
            if (input["priority"] is { } p) ticket["priority"] = p.DeepClone();
            if (S(ticket["status"]) is { } current && current != previousStatus)
                Emit(ticket, StatusChangedEvent, new JsonObject { ["previous"] = previousStatus?.ToUpperInvariant(), ["current"] = current.ToUpperInvariant() });
            return (200, new JsonObject { ["ticket"] = Public(ticket), ["audit"] = new JsonObject() });
        }
    }

    async Task Upload(HttpContext ctx)
    {
        var name = ctx.Request.Query["filename"].ToString();
        if (name.Length == 0) { await WriteJsonAsync(ctx, 400, new JsonObject { ["error"] = "InvalidValue", ["description"] = "filename is required" }); return; }
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var attachment = new JsonObject { ["file_name"] = name, ["content_type"] = ctx.Request.ContentType ?? "application/octet-stream", ["size"] = body.Length };
        lock (Sync) uploads[token] = attachment;
        await WriteJsonAsync(ctx, 201, new JsonObject { ["upload"] = new JsonObject { ["token"] = token, ["attachment"] = attachment.DeepClone() } });
    }

    JsonObject Comment(JsonObject input, string? authorId) => new()
    {
        ["id"] = nextId++,
        ["body"] = input["body"]?.DeepClone() ?? input["html_body"]?.DeepClone(),
        ["public"] = input["public"]?.GetValue<bool>() ?? true,
        ["author_id"] = authorId,
        ["created_at"] = DateTimeOffset.UtcNow.ToString("o"),
    };

    JsonObject? Find(HttpContext ctx)
    {
        var id = ctx.Request.RouteValues["id"]?.ToString();
        return tickets.FirstOrDefault(t => S(t["id"]) == id);
    }

    static JsonObject Public(JsonObject ticket)
    {
        var copy = (JsonObject)ticket.DeepClone();
        copy["description"] = ((JsonArray)ticket["_comments"]!)[0]?["body"]?.DeepClone();
        copy.Remove("_comments");
        return copy;
    }

    static Task NotFound(HttpContext ctx) => WriteJsonAsync(ctx, 404, new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" });

    static JsonObject InvalidBody(string field, string description) => new()
    {
        ["error"] = "RecordInvalid",
        ["description"] = "Record validation errors",
        ["details"] = new JsonObject { [field] = new JsonArray(new JsonObject { ["description"] = description, ["error"] = "InvalidValue" }) },
    };

    static Task Invalid(HttpContext ctx, string field, string description) => WriteJsonAsync(ctx, 422, InvalidBody(field, description));

    /// <summary>The <c>event.comment</c> of a comment_added event: body, visibility and the author as Zendesk describes them.</summary>
    JsonObject CommentEvent(JsonObject comment)
    {
        var author = users.FirstOrDefault(u => S(u["id"]) == S(comment["author_id"]));
        return new JsonObject
        {
            ["id"] = S(comment["id"]),
            ["body"] = comment["body"]?.DeepClone(),
            ["is_public"] = comment["public"]?.DeepClone(),
            ["author"] = new JsonObject { ["id"] = S(comment["author_id"]), ["name"] = S(author?["name"]) ?? "Unknown", ["is_staff"] = S(author?["role"]) is "agent" or "admin" },
        };
    }

    /// <summary>Queues one delivery per subscribed active webhook (caller holds <see cref="FakeVendorServer.Sync"/>); sent in order, after the API answer.</summary>
    void Emit(JsonObject ticket, string type, JsonObject @event)
    {
        var ticketId = S(ticket["id"])!;
        foreach (var webhook in webhooks.Where(w => S(w["status"]) == "active" && ((JsonArray)w["subscriptions"]!).Any(x => S(x) == type)))
        {
            var envelope = new JsonObject
            {
                ["type"] = type,
                ["account_id"] = 12345,
                ["id"] = Guid.NewGuid().ToString(),
                ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["zendesk_event_version"] = "2022-06-20",
                ["subject"] = $"zen:ticket:{ticketId}",
                ["detail"] = new JsonObject
                {
                    ["id"] = ticketId, ["external_id"] = S(ticket["external_id"]), ["requester_id"] = S(ticket["requester_id"]),
                    ["status"] = S(ticket["status"])?.ToUpperInvariant(), ["is_public"] = true,
                },
                ["event"] = @event.DeepClone(),
            };
            var delivery = new ZendeskWebhookDelivery(S(envelope["id"])!, type, ticketId, new Uri(S(webhook["endpoint"])!), Encoding.UTF8.GetBytes(envelope.ToJsonString()));
            deliveries.Add(delivery);
            // Chained: deliveries leave one at a time, in the order the changes happened.
            deliveryChain = deliveryChain.ContinueWith(async _ =>
            {
                await Task.Yield();
                try
                {
                    using var response = await PostSignedAsync(delivery.Endpoint, delivery.Body, CancellationToken.None);
                    delivery.Status = (int)response.StatusCode;
                    delivery.Response = await response.Content.ReadAsStringAsync();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    delivery.Response = e.Message;
                }
            }, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>POSTs a body the way Zendesk signs it: base64(HMAC-SHA256(secret, timestamp + body)).</summary>
    async Task<HttpResponseMessage> PostSignedAsync(Uri target, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Zendesk-Webhook-Signature", Sign(timestamp, body));
        request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        request.Headers.Add("X-Zendesk-Webhook-Id", "01HWEBHOOK");
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>The signature Zendesk would put on <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public string Sign(string timestamp, byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray()));

    public override async Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        JsonObject envelope;
        lock (Sync)
        {
            var ticket = tickets.First(t => S(t["id"]) == ticketId);
            var detail = new JsonObject { ["id"] = ticketId, ["external_id"] = S(ticket["external_id"]), ["requester_id"] = S(ticket["requester_id"]), ["status"] = S(ticket["status"])?.ToUpperInvariant() };
            envelope = new JsonObject
            {
                ["account_id"] = 12345,
                ["id"] = Guid.NewGuid().ToString(),
                ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["zendesk_event_version"] = "2022-06-20",
                ["subject"] = $"zen:ticket:{ticketId}",
                ["detail"] = detail,
            };
            if (kind == FakeWebhookKind.StatusSolved)
            {
                var previous = S(ticket["status"]);
                ticket["status"] = "solved";
                detail["status"] = "SOLVED";
                envelope["type"] = "zen:event-type:ticket.status_changed";
                envelope["event"] = new JsonObject { ["previous"] = previous?.ToUpperInvariant(), ["current"] = "SOLVED" };
            }
            else
            {
                var isPublic = kind == FakeWebhookKind.AgentPublicReply;
                var comment = new JsonObject { ["id"] = nextId++, ["body"] = text, ["public"] = isPublic, ["author_id"] = "7" };
                ((JsonArray)ticket["_comments"]!).Add(comment);
                envelope["type"] = "zen:event-type:ticket.comment_added";
                envelope["event"] = new JsonObject
                {
                    ["comment"] = new JsonObject { ["id"] = S(comment["id"]), ["body"] = text, ["is_public"] = isPublic, ["author"] = new JsonObject { ["id"] = "7", ["name"] = "Agent Smith", ["is_staff"] = true } },
                };
            }
        }
        return await PostSignedAsync(target, Encoding.UTF8.GetBytes(envelope.ToJsonString()), cancellationToken);
    }
}
