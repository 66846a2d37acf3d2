using System.Net;
using System.Net.Http.Json;
using System.Text;
using IntegrationHub.FakeServers.Zendesk;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Helpdesk;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Playwright;

namespace IntegrationHub.Hub.Tests.Browser;

/// <summary>
/// The helpdesk loop end to end: a customer in a real browser hands off to Zendesk (the fake, over HTTP), and
/// what agents do through Zendesk's API comes back by Zendesk's signed webhooks to the open widget; an AI draft
/// requested by an agent stays on the ticket.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HelpdeskLoopBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    const int Wait = 15_000;
    HelpdeskFixture? fixture;
    IBrowserContext? context;
    IPage page = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (context is not null) await context.DisposeAsync();
        if (fixture is not null) await fixture.DisposeAsync();
    }

    ILocator Log => page.Locator("#integrationhub-widget ol.log");
    ILocator Status => page.Locator("#integrationhub-widget p.status");

    async Task SendAsync(string text)
    {
        var input = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Widget_HandoffReplyNoteDraftRedeliveryForgerySolve_WidgetShowsOnlyWhatTheCustomerShouldSee(string backend)
    {
        fixture = await HelpdeskFixture.StartAsync(backend: backend);
        var webhookEndpoint = new Uri(fixture.Hub.ServerAddress, "/api/webhooks/zendesk-eu");
        using (var admin = new ZendeskAgentClient(fixture.Zendesk, fixture.Zendesk.Email)) await admin.SubscribeAsync(webhookEndpoint);
        using var agent = new ZendeskAgentClient(fixture.Zendesk, ZendeskFake.AgentEmail);
        context = await chromium.Browser.NewContextAsync(new() { BaseURL = fixture.Hub.ServerAddress.ToString() });
        page = await context.NewPageAsync();

        // The customer chats on the demo page, asks for a person, and leaves the email Zendesk needs for the requester.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await SendAsync("How long does a refund take?");
        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "within 5 working days" })).ToHaveCountAsync(1, new() { Timeout = Wait });
        await SendAsync("I want to talk to a real person");
        await Assertions.Expect(Log.Locator("li.system", new() { HasText = "A member of our support team will take over" })).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(page.GetByLabel("Your email")).ToBeVisibleAsync(new() { Timeout = Wait });
        await page.GetByLabel("Your name (optional)").FillAsync("Jane Doe");
        await page.GetByLabel("Your email").FillAsync("jane@example.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my details" }).ClickAsync();
        await Assertions.Expect(Status).ToHaveTextAsync("Thanks, your details were sent", new() { Timeout = Wait });

        // The ticket carries the handoff packet: structured fields, the transcript, and Jane as requester.
        var id = await ConversationIdAsync();
        var ticket = await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the Zendesk ticket");
        await Eventually.TrueAsync(async () => (await fixture.Store.GetConversationAsync(id))!.Tickets.Count == 1, what: "the ticket link");
        var conversation = (await fixture.Store.GetConversationAsync(id))!;
        Assert.Equal("jane@example.test", Assert.Single(fixture.Zendesk.Contacts, c => c.Id == ticket.RequesterId).Email);
        Assert.Contains("Chat from Jane Doe", ticket.Subject);
        Assert.Contains("Handoff reason: customer-request", ticket.Description);
        Assert.Equal("refund_status", conversation.Intent);
        Assert.Contains("Intent: refund_status", ticket.Description);
        Assert.Contains("answered from 'Returns and refunds › Refund timing'", ticket.Description);
        Assert.Contains($"Conversation id: {id}", ticket.Description);
        Assert.Contains("How long does a refund take?", ticket.Description);
        Assert.Contains("within 5 working days", ticket.Description);
        Assert.Contains("I want to talk to a real person", ticket.Description);
        Assert.Equal("360001", ticket.Queue); // the routed queue "support", as the connector's group

        // An agent answers in Zendesk: the reply reaches the open widget with the agent's name.
        await agent.CommentAsync(ticket.Id, "Hi Jane, your refund was issued today.");
        var reply = Log.Locator("li.agent", new() { HasText = "your refund was issued today" });
        await Assertions.Expect(reply).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(reply).ToContainTextAsync($"{ZendeskFake.AgentName}: Hi Jane, your refund was issued today.");
        await Assertions.Expect(Status).ToHaveTextAsync("An agent has joined the conversation", new() { Timeout = Wait });

        // An internal note is stored in the hub, never shown.
        await agent.CommentAsync(ticket.Id, "VIP customer: approve the refund without questions", isPublic: false);
        await Eventually.TrueAsync(async () => (await fixture.Store.GetMessagesAsync(id)).Any(m => m.Visibility == MessageVisibility.Internal && m.Body.Contains("VIP customer")),
            what: "the internal note in the hub");

        // An agent asks the hub for an AI draft: a private note on the ticket, never on the widget.
        using (var draft = await fixture.Http.PostAsJsonAsync($"/api/admin/helpdesk/conversations/{id}/draft-note", new { }))
            Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        Assert.Single(fixture.Zendesk.Tickets.Single(t => t.Id == ticket.Id).Comments, c => !c.Public && c.Body.Contains("Suggested reply"));

        // Zendesk delivers the reply's event again (no 2xx in time, say): acknowledged as a duplicate.
        var replyDelivery = fixture.Zendesk.WebhookDeliveries.Single(d => d.Type == ZendeskFake.CommentAddedEvent && d.BodyText.Contains("your refund was issued today"));
        using (var again = await fixture.Zendesk.RedeliverAsync(replyDelivery))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Contains("\"duplicates\":1", await again.Content.ReadAsStringAsync());
        }

        // Forgeries: a tampered body under a real signature, and a body signed with another secret.
        var inboxBefore = await fixture.Hub.Get<SqlWebhookEventStore>().CountAsync("zendesk-eu");
        var messagesBefore = (await fixture.Store.GetMessagesAsync(id)).Count;
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var tampered = Encoding.UTF8.GetBytes(replyDelivery.BodyText.Replace("your refund was issued today", "please send us your card PIN")
            .Replace(replyDelivery.EventId, Guid.NewGuid().ToString()));
        using (var forged = await DeliverAsync(webhookEndpoint, tampered, fixture.Zendesk.Sign(timestamp, replyDelivery.Body), timestamp))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Contains("signature mismatch", await forged.Content.ReadAsStringAsync());
        }
        await using (var stranger = new ZendeskFake(signingSecret: "not-the-hub-secret"))
        using (var forged = await DeliverAsync(webhookEndpoint, tampered, stranger.Sign(timestamp, tampered), timestamp))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(inboxBefore, await fixture.Hub.Get<SqlWebhookEventStore>().CountAsync("zendesk-eu"));
        Assert.Equal(messagesBefore, (await fixture.Store.GetMessagesAsync(id)).Count);

        // A later reply is applied after everything above (a conversation's events apply in arrival order), so once it
        // shows, the note, the duplicate and the forgery have had every chance to show too.
        await agent.CommentAsync(ticket.Id, "Is there anything else I can help with?");
        await Assertions.Expect(Log.Locator("li.agent", new() { HasText = "anything else I can help with" })).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(reply).ToHaveCountAsync(1);
        await Assertions.Expect(Log).Not.ToContainTextAsync("VIP customer");
        await Assertions.Expect(Log).Not.ToContainTextAsync("card PIN");
        await Assertions.Expect(Log).Not.ToContainTextAsync("Suggested reply");
        Assert.Single(await fixture.Store.GetMessagesAsync(id), m => m.Body.Contains("your refund was issued today"));

        // The agent solves the ticket: the conversation closes and the widget says so.
        await agent.SolveAsync(ticket.Id);
        await Assertions.Expect(Status).ToHaveTextAsync("Our team has marked this conversation as resolved. Write again any time if you need more help.",
            new() { Timeout = Wait });
        Assert.Equal(ConversationMode.Closed, (await fixture.Store.GetConversationAsync(id))!.Mode);

        // As the notice says, writing again works: the message starts a new conversation instead of failing.
        await SendAsync("One more question about my order");
        await Assertions.Expect(Log.Locator("li.message.customer", new() { HasText = "One more question about my order" }))
            .Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("failed|pending"), new() { Timeout = Wait });
        var next = await ConversationIdAsync();
        Assert.NotEqual(id, next);
        Assert.Contains(await fixture.Store.GetMessagesAsync(next), m => m.Body == "One more question about my order");

        // Every delivery the fake made was accepted; the ones about the hub's own doings were simply not acted on.
        await fixture.Zendesk.WebhookDeliveriesSettledAsync();
        Assert.All(fixture.Zendesk.WebhookDeliveries, d => Assert.True(d.Status == 200, $"{d.Type} {d.EventId}: {d.Status} {d.Response}"));
        Assert.Single(fixture.Zendesk.Tickets, t => t.ConversationId == id);
    }

    async Task<HttpResponseMessage> DeliverAsync(Uri endpoint, byte[] body, string signature, string timestamp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Zendesk-Webhook-Signature", signature);
        request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        return await fixture!.Http.SendAsync(request);
    }

    async Task<string> ConversationIdAsync()
    {
        var stored = await page.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('integrationhub:'))[1]");
        return System.Text.Json.JsonDocument.Parse(stored).RootElement.GetProperty("conversationId").GetString()!;
    }
}
