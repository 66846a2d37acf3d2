using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>A page saved into a configured knowledge folder reaches the bot without a restart.</summary>
public sealed class KnowledgeFolderWatcherTests : IAsyncLifetime
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hub-knowledge-");
    HubFactory hub = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "telescopes.md"), "# Telescopes\n\n## Cleaning lenses\n\nClean telescope lenses with a soft brush.\n");
        hub = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors.Replace(
            "\"settings\": { \"redactionPatterns\"", $"\"settings\": {{ \"knowledgeFolders\": [\"{folder.FullName}\"], \"redactionPatterns\""));
        _ = hub.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await hub.DisposeAsync();
        folder.Delete(recursive: true);
    }

    async Task<string> AnswerAsync(string question)
    {
        var preview = await (await hub.CreateClient().PostAsJsonAsync("/api/admin/bot/preview", new { text = question })).Content.ReadFromJsonAsync<JsonElement>();
        return preview.GetProperty("text").GetString() ?? "";
    }

    [Fact]
    public async Task NewPageSaved_IndexedWithoutRestart()
    {
        const string question = "how long do drone batteries take to charge fully?";
        Assert.DoesNotContain("90 minutes", await AnswerAsync(question));

        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "drones.md"), "# Drones\n\n## Battery charging\n\nDrone batteries charge fully in 90 minutes with the supplied charger.\n");

        await Eventually.TrueAsync(async () => (await AnswerAsync(question)).Contains("90 minutes"), timeoutMs: 20_000, what: "the new page to be indexed");
    }
}
