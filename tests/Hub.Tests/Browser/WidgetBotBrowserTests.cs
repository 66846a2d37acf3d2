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

    async Task StartAsync(string backend)
    {
        hub = await HubFactory.CreateAsync(backend, HubFactory.BotConnectors, kestrel: true);
        context = await chromium.Browser.NewContextAsync(new() { BaseURL = hub.ServerAddress.ToString() });
        page = await context.NewPageAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (context is not null) await context.DisposeAsync();
        if (hub is not null) await hub.DisposeAsync();
    }

    ILocator Log => page.Locator("#integrationhub-widget ol.log");

    async Task SendAsync(string text)
    {
        var input = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Widget_KnowledgeQuestionThenAskForPerson_CitedAnswerThenHonestHandoff(string backend)
    {
        await StartAsync(backend);
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

        await SendAsync("I want to talk to a person");

        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "pass you to a member of our team" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByLabel("Your email")).ToBeVisibleAsync();
        var conversation = (await hub.Get<IConversationStore>().GetConversationAsync(await ConversationIdAsync()))!;
        Assert.Equal(ConversationMode.Queued, conversation.Mode);
        // The stored packet: why, what the bot understood and tried, what it cited, who the customer is, the transcript.
        var handoff = Assert.Single(await hub.Get<IConversationStore>().GetEventsAsync(conversation.Id), e => e.Kind == ConversationEventKinds.Handoff);
        using var data = System.Text.Json.JsonDocument.Parse(handoff.Data);
        var packet = data.RootElement.GetProperty("packet");
        Assert.Equal("customer-request", packet.GetProperty("reason").GetString());
        Assert.Equal("refund_status", packet.GetProperty("intent").GetString());
        Assert.True(packet.GetProperty("confidence").GetDouble() > 0);
        Assert.Equal("anonymous", packet.GetProperty("contact").GetProperty("identityStatus").GetString());
        Assert.Contains(packet.GetProperty("citedArticles").EnumerateArray(), c => c.GetProperty("title").GetString() == "Returns and refunds › Refund timing");
        Assert.NotEmpty(packet.GetProperty("botAttempts").EnumerateArray());
        Assert.Equal(["How long does a refund take?", "I want to talk to a person"],
            packet.GetProperty("transcript").EnumerateArray().Where(m => m.GetProperty("author").GetString() == "customer").Select(m => m.GetProperty("body").GetString()));
        Assert.Contains("I want to talk to a person", packet.GetProperty("summary").GetString());

        // The cited page opens at the cited section.
        var cited = await context.NewPageAsync();
        await cited.GotoAsync(href!);
        await Assertions.Expect(cited.GetByRole(AriaRole.Heading, new() { Name = "Refund timing" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Widget_AmbiguousThenFrustrated_ClarifiesOffersOptionsThenHandsOffWithPacket(string backend)
    {
        await StartAsync(backend);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();

        // Layered fallback: an ambiguous question (refunds? delivery?) gets no guessed answer but a request to
        // rephrase; the second miss offers the likely intents.
        await SendAsync("How long does it take?");
        var clarify = Log.Locator("li.bot", new() { HasText = "Could you say that another way" });
        await Assertions.Expect(clarify).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(clarify.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);

        await SendAsync("I have a problem");
        var options = Log.Locator("li.bot", new() { HasText = "Is it one of these?" });
        await Assertions.Expect(options).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(options).ToContainTextAsync("Check a refund");
        await Assertions.Expect(options).ToContainTextAsync("Talk to a person");

        await SendAsync("This is ridiculous, your service is useless and I am furious!");
        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "pass you to a member of our team" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByLabel("Your email")).ToBeVisibleAsync();
        // The log has outgrown its box: the newest message is scrolled into view, the first is out of it.
        await Assertions.Expect(Log.Locator("li").Last).ToBeInViewportAsync();
        await Assertions.Expect(Log.Locator("li").First).Not.ToBeInViewportAsync();

        var store = hub.Get<IConversationStore>();
        var id = await ConversationIdAsync();
        Assert.Equal(ConversationMode.Queued, (await store.GetConversationAsync(id))!.Mode);
        var handoff = Assert.Single(await store.GetEventsAsync(id), e => e.Kind == ConversationEventKinds.Handoff);
        // The packet is stored with the event: why, the customer's mood, and the whole transcript.
        Assert.Contains("frustrat", handoff.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("I have a problem", handoff.Data);
        Assert.Contains("Talk to a person", handoff.Data);
        Assert.Contains("useless", handoff.Data);
        using var data = System.Text.Json.JsonDocument.Parse(handoff.Data);
        var packet = data.RootElement.GetProperty("packet");
        Assert.Equal("frustration", packet.GetProperty("reason").GetString());
        Assert.Equal("frustrated", packet.GetProperty("sentiment").GetString());
        Assert.Equal("high", packet.GetProperty("priority").GetString());
        Assert.Contains(packet.GetProperty("botAttempts").EnumerateArray(), a => a.GetString()!.Contains("clarif", StringComparison.OrdinalIgnoreCase));
    }

    async Task<string> ConversationIdAsync()
    {
        var stored = await page.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('integrationhub:'))[1]");
        return System.Text.Json.JsonDocument.Parse(stored).RootElement.GetProperty("conversationId").GetString()!;
    }
}
