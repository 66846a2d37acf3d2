using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Playwright;

namespace IntegrationHub.Hub.Tests.Browser;

/// <summary>The widget talking to the built-in bot in a real browser: a cited answer, then a handoff.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetBotBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    HubFactory hub = null!;
    IBrowserContext context = null!;
    IPage page = null!;

    public async Task InitializeAsync()
    {
        hub = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, kestrel: true);
        context = await chromium.Browser.NewContextAsync(new() { BaseURL = hub.ServerAddress.ToString() });
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await hub.DisposeAsync();
    }

    ILocator Log => page.Locator("#integrationhub-widget ol.log");

    async Task SendAsync(string text)
    {
        var input = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    [Fact]
    public async Task Widget_KnowledgeQuestionThenAskForPerson_CitedAnswerThenHonestHandoff()
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();

        await SendAsync("How long does a refund take?");

        var answer = Log.Locator("li.bot", new() { HasText = "within 5 working days" });
        await Assertions.Expect(answer).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(answer).ToContainTextAsync("Assistant: ");
        var source = answer.GetByRole(AriaRole.Link);
        await Assertions.Expect(source).ToHaveTextAsync("/knowledge/sample/returns.html#refund-timing");
        var href = await source.GetAttributeAsync("href");
        Assert.Equal(new Uri(hub.ServerAddress, "/knowledge/sample/returns.html#refund-timing").ToString(), href);

        await SendAsync("I want to talk to a real person");

        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "pass you to a member of our team" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByLabel("Your email")).ToBeVisibleAsync();
        var conversation = (await hub.Get<IConversationStore>().GetConversationAsync(await ConversationIdAsync()))!;
        Assert.Equal(ConversationMode.Queued, conversation.Mode);
        Assert.Contains(await hub.Get<IConversationStore>().GetEventsAsync(conversation.Id), e => e.Kind == ConversationEventKinds.Handoff);

        // The cited page opens at the cited section.
        var cited = await context.NewPageAsync();
        await cited.GotoAsync(href!);
        await Assertions.Expect(cited.GetByRole(AriaRole.Heading, new() { Name = "Refund timing" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Widget_AmbiguousThenFrustrated_ClarifiesOffersOptionsThenHandsOffWithPacket()
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();

        // Layered fallback: the first miss asks to rephrase, the second offers the likely intents.
        await SendAsync("hello");
        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "Could you say that another way" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        await SendAsync("I have a problem");
        var options = Log.Locator("li.bot", new() { HasText = "Is it one of these?" });
        await Assertions.Expect(options).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(options).ToContainTextAsync("Talk to a person");

        await SendAsync("This is ridiculous, your service is useless and I am furious!");
        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "pass you to a member of our team" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        var store = hub.Get<IConversationStore>();
        var id = await ConversationIdAsync();
        Assert.Equal(ConversationMode.Queued, (await store.GetConversationAsync(id))!.Mode);
        var handoff = Assert.Single(await store.GetEventsAsync(id), e => e.Kind == ConversationEventKinds.Handoff);
        // The packet is stored with the event: why, the customer's mood, and the whole transcript.
        Assert.Contains("frustrat", handoff.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("I have a problem", handoff.Data);
        Assert.Contains("Talk to a person", handoff.Data);
        Assert.Contains("useless", handoff.Data);
    }

    async Task<string> ConversationIdAsync()
    {
        var stored = await page.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('integrationhub:'))[1]");
        return System.Text.Json.JsonDocument.Parse(stored).RootElement.GetProperty("conversationId").GetString()!;
    }
}
