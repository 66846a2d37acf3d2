using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>The bot follows connectors.json: built when enabled, rebuilt with new settings, gone when disabled.</summary>
public sealed class HubBotReloadTests : IAsyncLifetime
{
    HubFactory hub = null!;
    DirectoryInfo folder = null!;

    public async Task InitializeAsync()
    {
        folder = Directory.CreateTempSubdirectory("hub-kb-");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "loyalty.md"),
            "# Loyalty club\n\n## Earning points\n\nMembers of the loyalty club earn one point for every pound spent, and points never expire.");
        hub = await HubFactory.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await hub.DisposeAsync();
        folder.Delete(recursive: true);
    }

    async Task ApplyAsync(string connectors)
    {
        await File.WriteAllTextAsync(hub.ConnectorsFile, connectors);
        Assert.True(hub.Get<ConnectorsConfigurationMonitor>().Reload());
        await hub.Get<HubBot>().ContentReady;
    }

    [Fact]
    public async Task Reload_BotEnabledWithFolderThenFolderDropped_AnswersFromItThenStopsCitingIt()
    {
        var admin = hub.CreateClient();
        var bot = hub.Get<HubBot>();
        Assert.Null(bot.Current);
        const string question = "Do loyalty club points expire?";

        await ApplyAsync(HubFactory.BotConnectors.Replace("\"settings\": { \"redactionPatterns\"", $"\"settings\": {{ \"knowledgeFolders\": [\"{folder.FullName}\"], \"redactionPatterns\""));

        Assert.NotNull(bot.Current);
        var preview = await (await admin.PostAsJsonAsync("/api/admin/bot/preview", new { text = question })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("points never expire", preview.GetProperty("text").GetString());
        var link = $"/knowledge/config-{folder.Name.ToLowerInvariant()}/loyalty.html#earning-points";
        Assert.Contains(link, preview.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(link.Split('#')[0])).StatusCode);

        var first = bot.Current;
        await ApplyAsync(HubFactory.BotConnectors);

        Assert.NotSame(first, bot.Current);
        var after = await (await admin.PostAsJsonAsync("/api/admin/bot/preview", new { text = question })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain("points never expire", after.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(link.Split('#')[0])).StatusCode);

        await ApplyAsync(HubFactory.DefaultConnectors);
        Assert.Null(bot.Current);
    }

    [Fact]
    public async Task Reload_SameBotSettings_RuntimeKept()
    {
        await ApplyAsync(HubFactory.BotConnectors);
        var first = hub.Get<HubBot>().Current;

        // Only the web chat site changes: the bot is not rebuilt.
        await ApplyAsync(HubFactory.BotConnectors.Replace("\"Test shop\"", "\"Renamed shop\""));

        Assert.Same(first, hub.Get<HubBot>().Current);
    }
}
