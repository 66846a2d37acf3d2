using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Playwright;

namespace IntegrationHub.Hub.Tests.Browser;

/// <summary>
/// The widget against axe-core's WCAG 2.0–2.2 A and AA rules (contrast, names, roles, ARIA, focus order) in every
/// state a customer meets: closed, open, answered with a citation, offered options, handed off, an invalid email,
/// and the satisfaction survey. Keyboard use and live announcements are covered by the other browser tests.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetAccessibilityTests(ChromiumFixture chromium) : IAsyncLifetime
{
    static readonly string[] WcagAa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    HubFactory hub = null!;
    IBrowserContext context = null!;
    IPage page = null!;
    readonly List<string> violations = [];

    public Task InitializeAsync() => Task.CompletedTask;

    async Task StartAsync(string connectors, Dictionary<string, string?>? settings = null)
    {
        hub = await HubFactory.CreateAsync(connectors: connectors, kestrel: true, settings: settings);
        context = await chromium.Browser.NewContextAsync(new() { BaseURL = hub.ServerAddress.ToString() });
        page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.AddScriptTagAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "Browser", "Axe", "axe.min.js") });
    }

    public async Task DisposeAsync()
    {
        if (context is not null) await context.DisposeAsync();
        if (hub is not null) await hub.DisposeAsync();
    }

    ILocator Log => page.Locator("#integrationhub-widget ol.log");

    /// <summary>Runs axe over the widget as it is now and keeps what it found, named after the state.</summary>
    async Task AuditAsync(string state)
    {
        var found = await page.EvaluateAsync<JsonElement>("""
            async tags => {
              const result = await axe.run('#integrationhub-widget', { runOnly: { type: 'tag', values: tags } });
              return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | ')}`);
            }
            """, WcagAa);
        violations.AddRange(found.EnumerateArray().Select(v => $"[{state}] {v.GetString()}"));
    }

    async Task SendAsync(string text)
    {
        var input = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    [Fact]
    public async Task Widget_BotConversationStates_NoWcagViolations()
    {
        await StartAsync(HubFactory.BotConnectors);
        await AuditAsync("closed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await AuditAsync("open, empty");

        await SendAsync("How long does a refund take?");
        await Assertions.Expect(Log.Locator("li.bot a")).Not.ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await AuditAsync("answered with a citation");

        await SendAsync("How long does it take?");
        await SendAsync("I have a problem");
        await Assertions.Expect(Log.Locator("li.bot", new() { HasText = "Is it one of these?" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await AuditAsync("options offered");

        await SendAsync("I want to talk to a person");
        await Assertions.Expect(page.GetByLabel("Your email")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await AuditAsync("handed off, contact form");

        await page.GetByLabel("Your email").FillAsync("me@localhost");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my details" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ih-email-error")).ToContainTextAsync("is not an email address we can reply to");
        await AuditAsync("invalid email");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Widget_SatisfactionSurvey_NoWcagViolations()
    {
        await StartAsync(HubFactory.DefaultConnectors, new() { ["Hub:Csat:Enabled"] = "true", ["Hub:Csat:DelaySeconds"] = "0.5" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await page.Keyboard.TypeAsync("Thanks, that is all");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Log.Locator("li.customer[data-seq]")).ToHaveCountAsync(1);
        var stored = await page.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('integrationhub:'))[1]");
        var id = JsonDocument.Parse(stored).RootElement.GetProperty("conversationId").GetString()!;
        using var admin = new HttpClient { BaseAddress = hub.ServerAddress };
        (await admin.PostAsync($"/api/admin/conversations/{id}/close", null)).EnsureSuccessStatusCode();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rate 4 of 5" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await AuditAsync("survey");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rate 4 of 5" }).ClickAsync();
        await Assertions.Expect(Log.Locator(".survey-result")).ToHaveTextAsync("Thank you for your feedback.");
        await AuditAsync("survey answered");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
