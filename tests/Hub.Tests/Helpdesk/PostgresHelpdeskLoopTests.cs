using System.Net;
using IntegrationHub.FakeServers;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>The whole loop once on PostgreSQL (the outbox lease, the inbox upsert and the dispatcher's SQL), with the Zendesk fake.</summary>
public sealed class PostgresHelpdeskLoopTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;

    public async Task InitializeAsync() => fixture = await HelpdeskFixture.StartAsync(backend: "postgres");

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task Loop_HandoffCommentReplyTwiceSolve_OneTicketOneReplyClosed()
    {
        var (client, _, id) = await fixture.CustomerAsync();
        await fixture.HandOffAsync(client, id);
        var ticketId = (await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the ticket")).Id;
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(id))!.Tickets.Count == 1, what: "the link");

        await HelpdeskFixture.SayAsync(client, id, "Order 4711");
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments.Any(c => c.Body == "Order 4711")), what: "the comment");

        await using var sink = await WebhookSink.StartAsync();
        await fixture.Zendesk.SendWebhookAsync(sink.Url, FakeWebhookKind.AgentPublicReply, ticketId, "Found it, Jane");
        Assert.True(sink.Received.TryDequeue(out var recorded));
        var endpoint = new Uri(fixture.Hub.ServerAddress, "/api/webhooks/zendesk-eu");
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(recorded.Body) };
            request.Headers.Add("X-Zendesk-Webhook-Signature", recorded.Headers["X-Zendesk-Webhook-Signature"]);
            request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", recorded.Headers["X-Zendesk-Webhook-Signature-Timestamp"]);
            Assert.Equal(HttpStatusCode.OK, (await fixture.Http.SendAsync(request)).StatusCode);
        }
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(id))!.Mode == ConversationMode.Human, what: "human mode");
        Assert.Single(await fixture.Store.GetMessagesAsync(id), m => m.Author == MessageAuthor.Agent && m.AuthorName == "Agent Smith");
        Assert.Equal(1, await fixture.Hub.Get<SqlWebhookEventStore>().CountAsync("zendesk-eu"));

        Assert.Equal(HttpStatusCode.OK, (await fixture.Zendesk.SendWebhookAsync(endpoint, FakeWebhookKind.StatusSolved, ticketId, "")).StatusCode);
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(id))!.Mode == ConversationMode.Closed, what: "the close");
        Assert.Single(fixture.Zendesk.Tickets, t => t.ConversationId == id);
    }
}
