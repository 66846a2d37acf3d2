using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>
/// Two hub contacts that are one person at the vendor (the same email typed in two browsers): the helpdesk
/// outbox must still create the second ticket, although the vendor user id is already linked to the first contact.
/// </summary>
public sealed class SharedRequesterHandoffTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Handoff_TwoHubContactsOneVendorUser_BothTicketsCreatedForThatUser(string backend)
    {
        await using var fixture = await HelpdeskFixture.StartAsync(backend: backend);
        var (firstClient, _, first) = await fixture.CustomerAsync("shared@example.test");
        await fixture.HandOffAsync(firstClient, first);
        var firstTicket = await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == first)), what: "the first ticket");

        // A second browser: a new hub contact with the same email, so the vendor finds the same user.
        var (secondClient, _, second) = await fixture.CustomerAsync("shared@example.test");
        var firstConversation = (await fixture.Store.GetConversationAsync(first))!;
        var secondConversation = (await fixture.Store.GetConversationAsync(second))!;
        Assert.NotEqual(firstConversation.ContactId, secondConversation.ContactId);
        await fixture.HandOffAsync(secondClient, second);

        FakeServers.FakeTicket? secondTicket = null;
        try
        {
            secondTicket = await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == second)), what: "the second ticket");
        }
        catch (TimeoutException e)
        {
            Assert.Fail(e.Message + "\n" + await fixture.DiagnoseAsync(second));
        }
        Assert.Equal(firstTicket.RequesterId, secondTicket!.RequesterId);
        Assert.Single(fixture.Zendesk.Contacts, c => c.Email == "shared@example.test");
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(second))!.Tickets.Count == 1, what: "the second link");

        // The vendor id stays with the contact that claimed it first; the second contact simply looks it up again.
        Assert.Equal(firstTicket.RequesterId, (await fixture.Store.GetContactAsync(firstConversation.ContactId))!.ExternalIds["zendesk-eu"]);
        Assert.False((await fixture.Store.GetContactAsync(secondConversation.ContactId))!.ExternalIds.ContainsKey("zendesk-eu"));
        var rows = await fixture.Hub.Get<IntegrationHub.Hub.Storage.SqlTicketSyncStore>().ForConversationAsync(second);
        Assert.All(rows, r => Assert.Null(r.LastError));
    }
}
