using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>
/// The helpdesk loop with the real Request Tracker 5, which has no webhooks: the hub hands off to an RT
/// ticket, an RT agent (another RT user than the hub's) answers through REST2, and the hub's history
/// poller brings the answer to the open widget. On SQLite and PostgreSQL. RT is reached through a TCP
/// proxy the tests can cut.
/// </summary>
public sealed class RequestTrackerLoopTests(RequestTrackerServer rt) : IClassFixture<RequestTrackerServer>
{
    readonly string run = Guid.NewGuid().ToString("n")[..8];

    async Task<HubFactory> StartHubAsync(string backend, Uri rtAddress, TestDatabase? sharedDatabase = null)
    {
        Environment.SetEnvironmentVariable("HUB_TEST_RT_TOKEN", rt.Token);
        var connectors = $$"""
            {
              "connectors": [
                { "id": "web", "type": "webchat", "settings": { "title": "Test shop", "allowedOrigins": ["https://shop.example"] } },
                { "id": "bot", "type": "builtin-bot", "settings": {} },
                { "id": "rt", "type": "requesttracker", "settings": {
                    "baseUrl": "{{rtAddress}}", "authToken": "env:HUB_TEST_RT_TOKEN", "queue": "General",
                    "maxRetries": 0, "timeoutSeconds": 10, "circuitBreakSeconds": 1 } }
              ]
            }
            """;
        return await HubFactory.CreateAsync(backend, connectors: connectors, kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Hub:Helpdesk:RetryBaseSeconds"] = "0.2",
            ["Hub:Helpdesk:RetryMaxSeconds"] = "1",
            ["Hub:Helpdesk:PollSeconds"] = "0.2",
            ["Hub:Helpdesk:History:IntervalSeconds"] = "0.2",
            ["Hub:Helpdesk:History:ClosedIntervalSeconds"] = "0.2",
            ["Hub:Helpdesk:History:RetryMaxSeconds"] = "1",
            ["Hub:Routing:Default:Name"] = "support",
            ["Hub:Routing:Default:Connector"] = "rt",
        }, sharedDatabase: sharedDatabase);
    }

    /// <summary>A visitor who gave an email (RT's requestor), asks a question, then for a person: the bot hands off to RT.</summary>
    async Task<(HttpClient Client, string Token, string ConversationId, TicketReference Ticket)> HandedOffAsync(HubFactory hub)
    {
        var client = new HttpClient { BaseAddress = hub.ServerAddress };
        var response = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user = new { email = $"jane-{run}@example.test", name = "Jane Doe" } });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<SessionResponse>())!.VisitorToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var id = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;
        var store = hub.Get<IConversationStore>();

        var first = await HelpdeskFixture.SayAsync(client, id, "Do you ship to the United States?");
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(id, first.Sequence)).Any(m => m.Author == MessageAuthor.Bot), what: "the bot's answer");
        await HelpdeskFixture.SayAsync(client, id, "I want to talk to a real person");
        var ticket = await Eventually.ValueAsync(async () => (await store.GetConversationAsync(id))!.Tickets.SingleOrDefault(t => t.ConnectorId == "rt"),
            timeoutMs: 30_000, what: "the RT ticket");
        return (client, token, id, ticket);
    }

    static async Task<SseReader> OpenWidgetStreamAsync(HubFactory hub, HttpClient client, string token, string conversationId)
    {
        // Resume after everything so far, as a reconnecting widget does: only new messages follow.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/webchat/conversations/{conversationId}/events?token={Uri.EscapeDataString(token)}");
        request.Headers.Add("Last-Event-ID", (await hub.Get<IConversationStore>().GetConversationAsync(conversationId))!.LastSequence.ToString());
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync()).Type);
        return reader;
    }

    static (string Body, string Author, string? AuthorName) Message(SseReader.Event e)
    {
        using var data = JsonDocument.Parse(e.Data);
        var root = data.RootElement;
        return (root.GetProperty("body").GetString()!, root.GetProperty("author").GetString()!, root.GetProperty("authorName").GetString());
    }

    static Task<TicketHistoryRow?> CursorAsync(HubFactory hub, TicketReference ticket) => hub.Get<SqlTicketHistoryStore>().GetAsync("rt", ticket.ExternalId);

    async Task<string> DiagnoseAsync(HubFactory hub, string conversationId, TicketReference? ticket)
    {
        var messages = await hub.Get<IConversationStore>().GetMessagesAsync(conversationId);
        var cursor = ticket is null ? null : await CursorAsync(hub, ticket);
        return string.Join("\n", messages.Select(m => $"{m.Sequence} {m.Author} {m.Visibility} {m.AuthorName}: {m.Body}")
            .Append($"cursor={cursor?.HistoryCursor} failures={cursor?.Failures} error={cursor?.LastError}"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Loop_HandoffReplyNoteFromScratchResolveReopen_WidgetGetsEachPublicReplyOnce(string backend)
    {
        await using var proxy = new TcpProxy(new Uri(rt.Url));
        await using var hub = await StartHubAsync(backend, proxy.Address);
        var store = hub.Get<IConversationStore>();
        var (client, token, id, ticket) = await HandedOffAsync(hub);

        // The ticket carries the packet: the conversation id in its custom field, the transcript in its description.
        var stored = await rt.GetAsync($"ticket/{ticket.ExternalId}");
        Assert.StartsWith("Chat from Jane Doe", stored["Subject"]!.ToString());
        Assert.Contains(id, stored["CustomFields"]!.ToJsonString());
        var create = (await rt.MessagesAsync(ticket.ExternalId)).First(m => m.Type == "Create");
        Assert.Contains("Do you ship to the United States?", create.Text);
        Assert.Contains("I want to talk to a real person", create.Text);

        // The customer's later words reach the ticket as correspondence of the hub's own RT user...
        await HelpdeskFixture.SayAsync(client, id, $"Order 4711 {run}");
        await Eventually.TrueAsync(async () => (await rt.MessagesAsync(ticket.ExternalId)).Any(m => m.Type == "Correspond" && m.Text.Contains($"Order 4711 {run}")),
            timeoutMs: 20_000, what: "the customer's message on the ticket");

        // ...and an agent's reply made in RT reaches the open widget, with the agent's name.
        using var widget = await OpenWidgetStreamAsync(hub, client, token, id);
        await rt.AgentRepliesAsync(ticket.ExternalId, "Found it, Jane");
        Assert.Equal(("Found it, Jane", "agent", RequestTrackerServer.AgentName), Message(await widget.NextOfTypeAsync("message", 20_000)));
        await Eventually.TrueAsync(async () => (await store.GetConversationAsync(id))!.Mode == ConversationMode.Human, what: "human mode");

        // An internal comment is stored as an internal note and never streamed: the next message the widget sees is the next reply.
        await rt.AgentCommentsAsync(ticket.ExternalId, "Refund approved internally");
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(id)).Any(m => m.Visibility == MessageVisibility.Internal),
            timeoutMs: 20_000, what: "the internal note");
        await rt.AgentRepliesAsync(ticket.ExternalId, "Your refund is on its way");
        Assert.Equal("Your refund is on its way", Message(await widget.NextOfTypeAsync("message", 20_000)).Body);
        Assert.DoesNotContain("Refund approved internally", await client.GetStringAsync($"/api/webchat/conversations/{id}/messages"));
        var note = Assert.Single(await store.GetMessagesAsync(id), m => m.Visibility == MessageVisibility.Internal);
        Assert.Equal(("Refund approved internally", RequestTrackerServer.AgentName), (note.Body, note.AuthorName));

        // The hub's own comments (the customer's words) never came back as the agent's.
        var messages = await store.GetMessagesAsync(id);
        Assert.DoesNotContain(messages, m => m.Author == MessageAuthor.Agent && m.Body.Contains("Order 4711", StringComparison.Ordinal));
        Assert.Equal(["Found it, Jane", "Your refund is on its way"],
            messages.Where(m => m is { Author: MessageAuthor.Agent, Visibility: MessageVisibility.Public }).Select(m => m.Body));

        // Reading the whole history again from scratch (a lost cursor) stores and shows nothing twice.
        var events = hub.Get<SqlWebhookEventStore>();
        var before = await events.CountAsync("rt");
        var resetAt = DateTimeOffset.UtcNow;
        await using (var connection = await hub.Get<SqlDialect>().OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("UPDATE ticket_history_cursors SET history_cursor = NULL, next_poll_at = @resetAt WHERE connector_id = 'rt' AND external_id = @ExternalId",
                new { resetAt, ticket.ExternalId });
        await Eventually.TrueAsync(async () => await CursorAsync(hub, ticket) is { HistoryCursor: not null, PolledAt: { } at } && at > resetAt,
            timeoutMs: 20_000, what: "a read from scratch");
        await Task.Delay(500); // the dispatcher's turn, had anything new been stored
        Assert.Equal(before, await events.CountAsync("rt"));
        Assert.Equal(messages.Count, (await store.GetMessagesAsync(id)).Count);

        // Resolving the ticket closes the conversation (the widget is told); reopening it reopens the conversation.
        await rt.AgentSetsStatusAsync(ticket.ExternalId, "resolved");
        Assert.Contains("closed", (await widget.NextOfTypeAsync("status", 20_000)).Data);
        Assert.Equal(ConversationMode.Closed, (await store.GetConversationAsync(id))!.Mode);
        await rt.AgentSetsStatusAsync(ticket.ExternalId, "open");
        await Eventually.TrueAsync(async () => (await store.GetConversationAsync(id))!.Mode == ConversationMode.Human, timeoutMs: 20_000,
            what: "the reopen\n" + await DiagnoseAsync(hub, id, ticket));
    }

    [Fact]
    public async Task Poller_RtUnreachable_BacksOffKeepsItsCursorThenDeliversTheMissedReplyOnce()
    {
        await using var proxy = new TcpProxy(new Uri(rt.Url));
        await using var hub = await StartHubAsync("sqlite", proxy.Address);
        var store = hub.Get<IConversationStore>();
        var (_, _, id, ticket) = await HandedOffAsync(hub);
        await rt.AgentRepliesAsync(ticket.ExternalId, "First answer");
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(id)).Any(m => m.Body == "First answer"), timeoutMs: 20_000, what: "the first answer");
        var cursor = (await CursorAsync(hub, ticket))!.HistoryCursor;
        Assert.NotNull(cursor);

        proxy.Cut();
        await Eventually.TrueAsync(async () => await CursorAsync(hub, ticket) is { Failures: >= 1 }, timeoutMs: 20_000, what: "a failed read");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var failing = (await CursorAsync(hub, ticket))!;
        Assert.Equal(cursor, failing.HistoryCursor);
        Assert.Contains("connector 'rt'", failing.LastError);
        // Backing off: waits of 0.4, 0.8, then 1 s (the maximum), not a read every 0.2 s (which would fail about 12 times here).
        Assert.InRange(failing.Failures, 2, 6);
        using (var admin = hub.CreateClient())
        {
            // The admin helpdesk view lists the ticket with its error; "read it now" ends the back-off; an unknown ticket is a 404.
            using var view = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/helpdesk/"));
            var listed = Assert.Single(view.RootElement.GetProperty("failingHistoryReads").EnumerateArray());
            Assert.Equal(ticket.ExternalId, listed.GetProperty("ticketId").GetString());
            Assert.Contains("connector 'rt'", listed.GetProperty("lastError").GetString());
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await admin.PostAsync($"/api/admin/helpdesk/history-reads/rt/{ticket.ExternalId}/retry", null)).StatusCode);
            using var unknown = await admin.PostAsync("/api/admin/helpdesk/history-reads/rt/999999/retry", null);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("has no failing history read", await unknown.Content.ReadAsStringAsync());
        }
        await rt.AgentRepliesAsync(ticket.ExternalId, "Sent while the hub could not reach RT");

        proxy.Restore();
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(id)).Any(m => m.Body == "Sent while the hub could not reach RT"),
            timeoutMs: 20_000, what: "the missed reply\n" + await DiagnoseAsync(hub, id, ticket));
        var recovered = await Eventually.ValueAsync(async () => await CursorAsync(hub, ticket) is { Failures: 0 } row ? row : null, what: "the failures cleared");
        Assert.Null(recovered.LastError);
        Assert.True(long.Parse(recovered.HistoryCursor!) > long.Parse(cursor));
        await Task.Delay(500);
        Assert.Single(await store.GetMessagesAsync(id), m => m.Body == "Sent while the hub could not reach RT");
        Assert.Single(await store.GetMessagesAsync(id), m => m.Body == "First answer");
    }

    [Fact]
    public async Task TwoNodes_OnePostgres_BothPollYetEveryReplyIsStoredAndShownOnce()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var proxy = new TcpProxy(new Uri(rt.Url));
        await using var nodeA = await StartHubAsync("postgres", proxy.Address, database);
        await using var nodeB = await StartHubAsync("postgres", proxy.Address, database);
        _ = nodeB.ServerAddress; // started: its poller runs too
        var store = nodeA.Get<IConversationStore>();
        var (_, _, id, ticket) = await HandedOffAsync(nodeA);

        var replies = Enumerable.Range(1, 4).Select(i => $"Reply {i} of 4").ToList();
        foreach (var reply in replies) await rt.AgentRepliesAsync(ticket.ExternalId, reply);
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(id)).Count(m => m.Author == MessageAuthor.Agent) >= replies.Count,
            timeoutMs: 20_000, what: "the replies\n" + await DiagnoseAsync(nodeA, id, ticket));
        await Task.Delay(1_000); // both nodes have polled several times more

        Assert.Equal(replies, (await store.GetMessagesAsync(id)).Where(m => m.Author == MessageAuthor.Agent).Select(m => m.Body));
        await using var connection = await nodeA.Get<SqlDialect>().OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ticket_history_cursors WHERE external_id = @ExternalId", new { ticket.ExternalId }));
    }
}
