using System.Net.Http.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>Bot handoff → Zendesk ticket (through the fake's real HTTP API), customer notices, later messages as comments, outages.</summary>
public sealed class HandoffTicketTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;

    public async Task InitializeAsync() => fixture = await HelpdeskFixture.StartAsync();

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task Handoff_ZendeskEnabled_TicketCreatedWithPacketLinkedAndCustomerTold()
    {
        var (client, _, id) = await fixture.CustomerAsync();

        await fixture.HandOffAsync(client, id);

        FakeServers.FakeTicket ticket;
        try { ticket = await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the Zendesk ticket"); }
        catch (TimeoutException) { throw new Exception(await fixture.DiagnoseAsync(id)); }
        Assert.Contains("I want to talk to a real person", ticket.Description);
        Assert.Contains("Do you ship to the United States?", ticket.Description);
        Assert.Equal("360001", ticket.Queue); // routed to queue "support" → the connector's group
        var requester = Assert.Single(fixture.Zendesk.Contacts);
        Assert.Equal("jane@example.test", requester.Email);
        Assert.Equal(requester.Id, ticket.RequesterId);

        var conversation = await Eventually.ValueAsync(async () =>
            await fixture.Store.GetConversationAsync(id) is { Tickets.Count: 1 } c ? c : null, what: "the linked ticket");
        Assert.Equal(new[] { ("zendesk-eu", ticket.Id) }, conversation.Tickets.Select(t => (t.ConnectorId, t.ExternalId)));
        Assert.Equal(ConversationMode.Queued, conversation.Mode);
        Assert.Equal("support", conversation.Queue);

        var messages = (await client.GetFromJsonAsync<MessagesResponse>($"/api/webchat/conversations/{id}/messages"))!.Messages;
        var notice = Assert.Single(messages, m => m.Author == "system");
        Assert.Contains("because you asked to talk to a person", notice.Body);
        Assert.Contains("not have enough recent replies to estimate", notice.Body);
    }

    [Fact]
    public async Task CustomerMessage_AfterHandoff_AppendedToTicketAsPublicCommentsInOrder()
    {
        var (client, _, id) = await fixture.CustomerAsync();
        await fixture.HandOffAsync(client, id);
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.Any(t => t.ConversationId == id)), what: "the ticket");

        await HelpdeskFixture.SayAsync(client, id, "My order number is 4711");
        await HelpdeskFixture.SayAsync(client, id, "It was shipped last Monday");

        var ticket = await Eventually.ValueAsync(() => Task.FromResult(
            fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id && t.Comments.Count >= 2)), what: "two comments");
        Assert.Equal(["My order number is 4711", "It was shipped last Monday"], ticket.Comments.Select(c => c.Body));
        Assert.All(ticket.Comments, c => Assert.True(c.Public));
    }

    [Fact]
    public async Task Handoff_ZendeskDown_QueuedAndToldThenTicketCreatedOnceAfterRecovery()
    {
        // Every vendor call fails for a while: the contact upsert and the ticket create are retried from the outbox.
        fixture.Zendesk.Faults.Status(503, count: 4);
        var (client, _, id) = await fixture.CustomerAsync();

        await fixture.HandOffAsync(client, id);

        var delayed = await Eventually.ValueAsync(async () =>
            (await fixture.Store.GetMessagesAsync(id)).FirstOrDefault(m => m.Author == MessageAuthor.System && m.Body.Contains("not reachable")), what: "the delay notice");
        Assert.Equal(ConversationMode.Queued, (await fixture.Store.GetConversationAsync(id))!.Mode);
        await HelpdeskFixture.SayAsync(client, id, "Still there?");

        var ticket = await Eventually.ValueAsync(() => Task.FromResult(
            fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id && t.Comments.Count == 1)), timeoutMs: 20_000, what: "the ticket after recovery");
        Assert.Equal("Still there?", ticket.Comments[0].Body);
        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(id)).Any(m => m.Body.Contains("has now reached our support team")), what: "the recovery notice");
        await Task.Delay(500);
        Assert.Single(fixture.Zendesk.Tickets, t => t.ConversationId == id);
        Assert.Single(await fixture.Store.GetMessagesAsync(id), m => m.Body.Contains("not reachable"));
        Assert.Equal(delayed.Sequence, (await fixture.Store.GetMessagesAsync(id)).First(m => m.Body.Contains("not reachable")).Sequence);
    }
}
