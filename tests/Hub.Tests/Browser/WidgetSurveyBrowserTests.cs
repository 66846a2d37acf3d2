using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Playwright;

namespace IntegrationHub.Hub.Tests.Browser;

/// <summary>The satisfaction survey shows up inline in the open widget after the close, and the visitor answers it there.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetSurveyBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    HubFactory hub = null!;
    IBrowserContext context = null!;
    IPage page = null!;

    public async Task InitializeAsync()
    {
        hub = await HubFactory.CreateAsync(kestrel: true, settings: new Dictionary<string, string?> { ["Hub:Csat:Enabled"] = "true", ["Hub:Csat:DelaySeconds"] = "0.5" });
        context = await chromium.Browser.NewContextAsync(new() { BaseURL = hub.ServerAddress.ToString() });
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await hub.DisposeAsync();
    }

    [Fact]
    public async Task Widget_ConversationClosed_SurveyAnsweredInline()
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await page.Keyboard.TypeAsync("Thanks, that is all");
        await page.Keyboard.PressAsync("Enter");
        var log = page.Locator("#integrationhub-widget ol.log");
        await Assertions.Expect(log.Locator("li.customer[data-seq]", new() { HasText = "Thanks, that is all" })).ToHaveCountAsync(1);
        var stored = await page.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('integrationhub:'))[1]");
        var id = JsonDocument.Parse(stored).RootElement.GetProperty("conversationId").GetString()!;

        using var admin = new HttpClient { BaseAddress = hub.ServerAddress };
        (await admin.PostAsync($"/api/admin/conversations/{id}/close", null)).EnsureSuccessStatusCode();

        await page.GetByRole(AriaRole.Button, new() { Name = "Rate 4 of 5" }).ClickAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(log.Locator(".survey-result")).ToHaveTextAsync("Thank you for your feedback.");
        var survey = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}/csat");
        Assert.Equal("answered", survey.GetProperty("state").GetString());
        Assert.Equal(4, survey.GetProperty("rating").GetInt32());
        await Assertions.Expect(log.Locator(".survey button").First).ToBeDisabledAsync();
    }
}
