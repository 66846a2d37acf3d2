using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>An anonymous visitor hands off: Zendesk needs a requester, so the hub asks for an email and creates the ticket once given.</summary>
public sealed class AnonymousHandoffTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;

    // Long back-off: within the test, only the captured email can trigger the retry.
    public async Task InitializeAsync() => fixture = await HelpdeskFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Hub:Helpdesk:RetryBaseSeconds"] = "600",
        ["Hub:Helpdesk:RetryMaxSeconds"] = "600",
    });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task Handoff_AnonymousVisitor_AskedForEmailThenTicketCreatedWithIt()
    {
        var client = new HttpClient { BaseAddress = fixture.Hub.ServerAddress };
        var session = (await (await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" })).Content.ReadFromJsonAsync<SessionResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var id = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;

        await fixture.HandOffAsync(client, id);

        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(id)).Any(m => m.Body.Contains("please share your email address")), what: "the request for an email");
        // The open widget was told to show its email form (status event with captureContact), logged as such.
        Assert.Contains(await fixture.Store.GetEventsAsync(id), e => e.Data.Contains("contact details needed for the ticket"));
        Assert.Empty(fixture.Zendesk.Tickets);

        var left = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/contact", new { email = "anon@example.test", name = "Anon" });
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);

        var ticket = await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the ticket");
        Assert.Equal("anon@example.test", Assert.Single(fixture.Zendesk.Contacts, c => c.Id == ticket.RequesterId).Email);
        Assert.Equal(ConversationMode.Queued, (await fixture.Store.GetConversationAsync(id))!.Mode);
    }
}
