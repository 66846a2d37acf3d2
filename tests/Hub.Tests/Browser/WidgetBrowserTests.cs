using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Realtime;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Playwright;

namespace IntegrationHub.Hub.Tests.Browser;

/// <summary>The demo page and widget in a real browser, driven by the keyboard only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    HubFactory hub = null!;
    TcpProxy network = null!;
    IBrowserContext context = null!;
    IPage page = null!;

    public async Task InitializeAsync()
    {
        hub = await HubFactory.CreateAsync(kestrel: true);
        // The browser reaches the hub through a proxy the test can cut, like a dropped Wi-Fi link.
        network = new TcpProxy(hub.ServerAddress);
        context = await chromium.Browser.NewContextAsync(new() { BaseURL = network.Address.ToString() });
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await network.DisposeAsync();
        await hub.DisposeAsync();
    }

    ILocator Log => page.Locator("#integrationhub-widget ol.log");

    Task<bool> Focused(string selector) =>
        page.EvaluateAsync<bool>($"() => !!document.querySelector('#integrationhub-widget').shadowRoot.activeElement?.matches('{selector}')");

    async Task TabToAsync(string selector)
    {
        for (var i = 0; i < 30; i++)
        {
            if (await Focused(selector)) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {selector}");
    }

    /// <summary>Sequence numbers shown in the log, in display order.</summary>
    async Task<long[]> ShownSequencesAsync() =>
        (await Log.Locator("li[data-seq]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.seq)")).Select(long.Parse).ToArray();

    async Task<string> ConversationIdAsync()
    {
        var contacts = await page.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('integrationhub:'))[1]");
        return System.Text.Json.JsonDocument.Parse(contacts).RootElement.GetProperty("conversationId").GetString()!;
    }

    [Fact]
    public async Task Widget_KeyboardOnlyChat_DeliveredAndNothingLostOrDoubledAcrossReconnect()
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "IntegrationHub is running" })).ToBeVisibleAsync();

        // Keyboard only: Tab to the launcher, Enter opens the chat and puts focus in the message box.
        await TabToAsync(".launcher");
        await page.Keyboard.PressAsync("Enter");
        var launcher = page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" });
        await Assertions.Expect(launcher).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Test shop" })).ToBeVisibleAsync();
        Assert.True(await Focused("#ih-input"));
        await page.Keyboard.TypeAsync("Hello, where is my parcel?");
        await page.Keyboard.PressAsync("Enter");

        // Delivered: the hub confirmed it with a sequence number.
        var mine = Log.Locator("li.customer[data-seq]", new() { HasText = "Hello, where is my parcel?" });
        await Assertions.Expect(mine).ToHaveCountAsync(1);
        // Answered: with no bot or agent in this configuration the hub says so honestly and asks for an email.
        await Assertions.Expect(Log.Locator("li.system", new() { HasText = "No one is available" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Your email")).ToBeVisibleAsync();
        // New messages are announced: the list sits in a polite live region with the log role.
        await Assertions.Expect(page.GetByRole(AriaRole.Log, new() { Name = "Conversation" }).Locator("li.system", new() { HasText = "No one is available" })).ToHaveCountAsync(1);

        // Drop the connection; replies arrive while the browser is away.
        var conversationId = await ConversationIdAsync();
        var feed = hub.Get<ConversationFeed>();
        await Eventually.TrueAsync(() => Task.FromResult(feed.WatcherCount(conversationId) == 1), what: "the widget's live stream");
        network.Cut();
        await Eventually.TrueAsync(() => Task.FromResult(feed.WatcherCount(conversationId) == 0), what: "the live stream to drop");
        await Assertions.Expect(page.Locator("#integrationhub-widget .status")).ToContainTextAsync("Reconnecting");
        var conversations = hub.Get<ConversationService>();
        foreach (var text in new[] { "Agent reply one", "Agent reply two", "Agent reply three" })
            await conversations.PostAsync(conversationId, MessageAuthor.Agent, text, authorName: "Sam");
        await conversations.PostAsync(conversationId, MessageAuthor.Agent, "internal note", MessageVisibility.Internal);

        network.Restore();
        await Assertions.Expect(Log.Locator("li.agent")).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        await conversations.PostAsync(conversationId, MessageAuthor.Agent, "Agent reply four", authorName: "Sam");
        await Assertions.Expect(Log.Locator("li.agent")).ToHaveCountAsync(4);

        var shown = await ShownSequencesAsync();
        Assert.Equal(shown.Order(), shown);
        Assert.Equal(shown.Length, shown.Distinct().Count());
        var stored = (await hub.Get<IConversationStore>().GetMessagesAsync(conversationId)).Where(m => m.Visibility == MessageVisibility.Public).Select(m => m.Sequence);
        Assert.Equal(stored, shown);
        await Assertions.Expect(Log).Not.ToContainTextAsync("internal note");
        await Assertions.Expect(Log.Locator("li.agent").First).ToContainTextAsync("Sam: Agent reply one");

        // A full page reload rebuilds the same history: nothing lost, nothing doubled.
        await page.ReloadAsync();
        await TabToAsync(".launcher");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Log.Locator("li[data-seq]")).ToHaveCountAsync(shown.Length);
        Assert.Equal(shown, await ShownSequencesAsync());

        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "hub-widget-open.png") });
        // Escape closes the chat and returns focus to the launcher.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(launcher).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.True(await Focused(".launcher"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "hub-widget.png") });
    }

    [Fact]
    public async Task Widget_OfflineForm_InvalidEmailExplainedThenAccepted()
    {
        await page.GotoAsync("/");
        await TabToAsync(".launcher");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Anyone?");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Log.Locator("li.system", new() { HasText = "No one is available" })).ToHaveCountAsync(1);
        var email = page.GetByLabel("Your email");
        await TabToAsync("#ih-email");
        await page.Keyboard.TypeAsync("me@localhost");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my details" }).PressAsync("Enter");
        await Assertions.Expect(page.Locator("#ih-email-error")).ToContainTextAsync("is not an email address we can reply to");
        await Assertions.Expect(email).ToHaveAttributeAsync("aria-invalid", "true");

        await email.FillAsync("me@example.com");
        await email.PressAsync("Enter");
        await Assertions.Expect(Log.Locator("li.system", new() { HasText = "me@example.com" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#integrationhub-widget .status")).ToContainTextAsync("your details were sent");
    }
}
