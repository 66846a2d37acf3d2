using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.FakeServers;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>Zendesk's signed webhooks (sent by the fake over real HTTP) → POST /api/webhooks/zendesk-eu → the customer's open widget.</summary>
public sealed class WebhookRelayTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;
    HttpClient customer = null!;
    string token = "";
    string conversationId = "";
    string ticketId = "";

    public async Task InitializeAsync()
    {
        fixture = await HelpdeskFixture.StartAsync();
        (customer, token, conversationId) = await fixture.CustomerAsync();
        await fixture.HandOffAsync(customer, conversationId);
        ticketId = (await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == conversationId)), what: "the ticket")).Id;
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(conversationId))!.Tickets.Count == 1, what: "the ticket link");
        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(conversationId)).Any(m => m.Author == MessageAuthor.System), what: "the handoff notice");
    }

    public async Task DisposeAsync()
    {
        customer.Dispose();
        await fixture.DisposeAsync();
    }

    Uri Endpoint => new(fixture.Hub.ServerAddress, "/api/webhooks/zendesk-eu");

    async Task<SseReader> OpenWidgetStreamAsync()
    {
        // Resume after everything so far, as a reconnecting widget does: only new messages follow.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/webchat/conversations/{conversationId}/events?token={Uri.EscapeDataString(token)}");
        request.Headers.Add("Last-Event-ID", (await fixture.Store.GetConversationAsync(conversationId))!.LastSequence.ToString());
        var response = await customer.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync()).Type);
        return reader;
    }

    /// <summary>Lets the fake sign a delivery, captured by a sink instead of sent to the hub, so the test can send the same bytes again.</summary>
    async Task<RecordedRequest> CaptureAsync(FakeWebhookKind kind, string text)
    {
        await using var sink = await WebhookSink.StartAsync();
        (await fixture.Zendesk.SendWebhookAsync(sink.Url, kind, ticketId, text)).EnsureSuccessStatusCode();
        Assert.True(sink.Received.TryDequeue(out var recorded));
        return recorded;
    }

    async Task<HttpResponseMessage> DeliverAsync(byte[] body, string signature, string timestamp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Zendesk-Webhook-Signature", signature);
        request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        return await fixture.Http.SendAsync(request);
    }

    Task<HttpResponseMessage> DeliverAsync(RecordedRequest recorded) =>
        DeliverAsync(recorded.Body, recorded.Headers["X-Zendesk-Webhook-Signature"], recorded.Headers["X-Zendesk-Webhook-Signature-Timestamp"]);

    /// <summary>Signs a body the way Zendesk does (base64 HMAC-SHA256 over timestamp + body), with the real secret.</summary>
    Task<HttpResponseMessage> DeliverSignedAsync(string body, DateTimeOffset at)
    {
        var timestamp = at.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(fixture.Zendesk.SigningSecret), Encoding.UTF8.GetBytes(timestamp).Concat(bytes).ToArray()));
        return DeliverAsync(bytes, signature, timestamp);
    }

    static string Body(SseReader.Event e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("body").GetString()!;

    [Fact]
    public async Task AgentPublicReply_SignedWebhook_ReachesOpenWidgetWithinASecondWithAgentName()
    {
        using var widget = await OpenWidgetStreamAsync();

        var clock = Stopwatch.StartNew();
        var response = await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.AgentPublicReply, ticketId, "Hi Jane, I am looking at your order now.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = await widget.NextOfTypeAsync("message", timeoutMs: 5_000);
        var elapsed = clock.Elapsed;

        Assert.Equal("Hi Jane, I am looking at your order now.", Body(delivered));
        using var data = JsonDocument.Parse(delivered.Data);
        Assert.Equal("agent", data.RootElement.GetProperty("author").GetString());
        Assert.Equal("Agent Smith", data.RootElement.GetProperty("authorName").GetString());
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"webhook → widget took {elapsed.TotalMilliseconds:0} ms");
        var conversation = await Eventually.ValueAsync(async () =>
            await fixture.Store.GetConversationAsync(conversationId) is { Mode: ConversationMode.Human } c ? c : null, what: "human mode");
        Assert.NotNull(conversation.FirstHumanReplyAt);
    }

    [Fact]
    public async Task AgentReplies_BurstOfTwenty_AllReachTheWidgetInTheOrderSent()
    {
        using var widget = await OpenWidgetStreamAsync();

        // Each acknowledged before the next is sent, so most arrive while the conversation's earlier ones are being applied.
        for (var i = 1; i <= 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.AgentPublicReply, ticketId, $"reply {i}")).StatusCode);
        var bodies = new List<string>();
        for (var i = 0; i < 20; i++) bodies.Add(Body(await widget.NextOfTypeAsync("message", timeoutMs: 3_000)));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"reply {i}"), bodies);
    }

    [Fact]
    public async Task InternalNote_SignedWebhook_StoredInternalAndNeverOnTheWidget()
    {
        using var widget = await OpenWidgetStreamAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.InternalNote, ticketId, "Customer is a known VIP, refund approved")).StatusCode);
        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(conversationId)).Any(m => m.Visibility == MessageVisibility.Internal), what: "the stored note");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.AgentPublicReply, ticketId, "Your refund is on its way")).StatusCode);

        // The first message the widget sees after the note is the public reply.
        Assert.Equal("Your refund is on its way", Body(await widget.NextOfTypeAsync("message")));
        var note = Assert.Single(await fixture.Store.GetMessagesAsync(conversationId), m => m.Visibility == MessageVisibility.Internal);
        Assert.Equal("Customer is a known VIP, refund approved", note.Body);
        var page = await customer.GetStringAsync($"/api/webchat/conversations/{conversationId}/messages");
        Assert.DoesNotContain("known VIP", page);
    }

    [Fact]
    public async Task SameDelivery_Twice_OneMessageAndSecondAnsweredAsDuplicate()
    {
        var recorded = await CaptureAsync(FakeWebhookKind.AgentPublicReply, "Only once, please");

        var first = await DeliverAsync(recorded);
        var second = await DeliverAsync(recorded);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("\"duplicates\":1", await second.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(conversationId)).Any(m => m.Body == "Only once, please"), what: "the reply");
        await Task.Delay(300);
        Assert.Single(await fixture.Store.GetMessagesAsync(conversationId), m => m.Body == "Only once, please");
    }

    [Fact]
    public async Task ForgedOrMissingSignature_401AndNothingStored()
    {
        var recorded = await CaptureAsync(FakeWebhookKind.AgentPublicReply, "Forged reply");
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(recorded.Body).Replace("Forged reply", "Send your password"));

        var tampered = await DeliverAsync(forged, recorded.Headers["X-Zendesk-Webhook-Signature"], recorded.Headers["X-Zendesk-Webhook-Signature-Timestamp"]);
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(recorded.Body) };
        var missing = await fixture.Http.SendAsync(unsigned);

        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Contains("signature mismatch", await tampered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        await Task.Delay(300);
        Assert.Equal(0, await fixture.Hub.Get<IntegrationHub.Hub.Storage.SqlWebhookEventStore>().CountAsync("zendesk-eu"));
        Assert.DoesNotContain(await fixture.Store.GetMessagesAsync(conversationId), m => m.Author == MessageAuthor.Agent);
    }

    [Fact]
    public async Task BadDeliveries_UnknownTicketMalformedStaleUnknownConnector_4xxWithReason()
    {
        var recorded = await CaptureAsync(FakeWebhookKind.AgentPublicReply, "For another ticket");
        var envelope = JsonNode.Parse(recorded.Body)!;
        envelope["detail"]!["id"] = "999999";
        envelope["id"] = Guid.NewGuid().ToString();

        var unknownTicket = await DeliverSignedAsync(envelope.ToJsonString(), DateTimeOffset.UtcNow);
        var malformed = await DeliverSignedAsync("{\"type\": ", DateTimeOffset.UtcNow);
        var stale = await DeliverSignedAsync(Encoding.UTF8.GetString(recorded.Body), DateTimeOffset.UtcNow.AddMinutes(-30));
        var unknownConnector = await fixture.Http.PostAsync("/api/webhooks/nope", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownTicket.StatusCode);
        Assert.Contains("ticket '999999'", await unknownTicket.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("malformed", await malformed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("replay window", await stale.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknownConnector.StatusCode);
        Assert.Equal(0, await fixture.Hub.Get<IntegrationHub.Hub.Storage.SqlWebhookEventStore>().CountAsync("zendesk-eu"));
    }

    [Fact]
    public async Task TicketSolved_SignedWebhook_ConversationClosedAndWidgetTold()
    {
        using var widget = await OpenWidgetStreamAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.StatusSolved, ticketId, "")).StatusCode);

        var status = await widget.NextOfTypeAsync("status");
        Assert.Contains("closed", status.Data);
        var conversation = await fixture.Store.GetConversationAsync(conversationId);
        Assert.Equal(ConversationMode.Closed, conversation!.Mode);
        Assert.NotNull(conversation.ClosedAt);
    }

    [Fact]
    public async Task TicketReopened_AfterSolved_ConversationBackInHumanMode()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.StatusSolved, ticketId, "")).StatusCode);
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(conversationId))!.Mode == ConversationMode.Closed, what: "the close");
        var reopened = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = "zen:event-type:ticket.status_changed",
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["subject"] = $"zen:ticket:{ticketId}",
            ["detail"] = new JsonObject { ["id"] = ticketId, ["external_id"] = conversationId, ["status"] = "OPEN" },
            ["event"] = new JsonObject { ["previous"] = "SOLVED", ["current"] = "OPEN" },
        };

        Assert.Equal(HttpStatusCode.OK, (await DeliverSignedAsync(reopened.ToJsonString(), DateTimeOffset.UtcNow)).StatusCode);

        var conversation = await Eventually.ValueAsync(async () =>
            await fixture.Store.GetConversationAsync(conversationId) is { Mode: ConversationMode.Human } c ? c : null, what: "the reopen");
        Assert.Null(conversation.ClosedAt);
    }

    [Fact]
    public async Task CommentTheHubWrote_ComesBackByWebhook_NotRelayedAsAnAgentReply()
    {
        await HelpdeskFixture.SayAsync(customer, conversationId, "Here is my order number 4711");
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments.Any(c => c.Body == "Here is my order number 4711")), what: "the synced comment");
        var requesterId = fixture.Zendesk.Tickets.Single(t => t.Id == ticketId).RequesterId;
        // Zendesk reports every comment, including the one the hub just added as the requester.
        var echo = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = "zen:event-type:ticket.comment_added",
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["subject"] = $"zen:ticket:{ticketId}",
            ["detail"] = new JsonObject { ["id"] = ticketId, ["external_id"] = conversationId, ["requester_id"] = requesterId, ["status"] = "OPEN" },
            ["event"] = new JsonObject
            {
                ["comment"] = new JsonObject { ["id"] = "5555", ["body"] = "Here is my order number 4711", ["is_public"] = true, ["author"] = new JsonObject { ["id"] = requesterId, ["name"] = "Jane Doe", ["is_staff"] = false } },
            },
        };

        Assert.Equal(HttpStatusCode.OK, (await DeliverSignedAsync(echo.ToJsonString(), DateTimeOffset.UtcNow)).StatusCode);
        await fixture.Zendesk.SendWebhookAsync(Endpoint, FakeWebhookKind.AgentPublicReply, ticketId, "Thanks, checking 4711");

        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(conversationId)).Any(m => m.Body == "Thanks, checking 4711"), what: "the real reply");
        var messages = await fixture.Store.GetMessagesAsync(conversationId);
        Assert.Single(messages, m => m.Body == "Here is my order number 4711");
        Assert.DoesNotContain(messages, m => m.Author == MessageAuthor.Agent && m.Body.Contains("order number"));
    }
}
