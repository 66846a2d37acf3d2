using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Apis;

/// <summary>Who may use the bot API, and what it says when there is no bot.</summary>
public sealed class BotApiAccessTests
{
    [Fact]
    public async Task Preview_AdminTokenConfiguredButNotSent_401()
    {
        Environment.SetEnvironmentVariable("HUB_TEST_ADMIN_TOKEN", "s3cret-admin");
        await using var hub = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors,
            settings: new Dictionary<string, string?> { ["Hub:AdminToken"] = "env:HUB_TEST_ADMIN_TOKEN" });
        var client = hub.CreateClient();

        var anonymous = await client.PostAsJsonAsync("/api/admin/bot/preview", new { text = "refund" });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-admin");
        var authorised = await client.PostAsJsonAsync("/api/admin/bot/preview", new { text = "refund" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
    }

    [Fact]
    public async Task Preview_NoBotConfigured_409ExplainsWhy()
    {
        await using var hub = await HubFactory.CreateAsync();

        var response = await hub.CreateClient().PostAsJsonAsync("/api/admin/bot/preview", new { text = "refund" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("no builtin-bot connector is enabled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
