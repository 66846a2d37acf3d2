using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>A page saved into a configured knowledge folder reaches the bot without a restart.</summary>
public sealed class KnowledgeFolderWatcherTests : IAsyncLifetime
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hub-knowledge-");
    HubFactory hub = null!;

    async Task StartAsync(string backend)
    {
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "telescopes.md"), "# Telescopes\n\n## Cleaning lenses\n\nClean telescope lenses with a soft brush.\n");
        hub = await HubFactory.CreateAsync(backend, HubFactory.BotConnectors.Replace(
            "\"settings\": { \"redactionPatterns\"", $"\"settings\": {{ \"knowledgeFolders\": [\"{folder.FullName}\"], \"redactionPatterns\""));
        _ = hub.CreateClient();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (hub is not null) await hub.DisposeAsync();
        folder.Delete(recursive: true);
    }

    async Task<string> AnswerAsync(string question)
    {
        var preview = await (await hub.CreateClient().PostAsJsonAsync("/api/admin/bot/preview", new { text = question })).Content.ReadFromJsonAsync<JsonElement>();
        return preview.GetProperty("text").GetString() ?? "";
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task NewPageSaved_IndexedWithoutRestart(string backend)
    {
        await StartAsync(backend);
        const string question = "how long do drone batteries take to charge fully?";
        Assert.DoesNotContain("90 minutes", await AnswerAsync(question));

        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "drones.md"), "# Drones\n\n## Battery charging\n\nDrone batteries charge fully in 90 minutes with the supplied charger.\n");

        await Eventually.TrueAsync(async () => (await AnswerAsync(question)).Contains("90 minutes"), timeoutMs: 20_000, what: "the new page to be indexed");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PageEditedThenDeleted_AnswerFollowsTheFolder(string backend)
    {
        await StartAsync(backend);
        const string question = "how do I clean telescope lenses?";
        Assert.Contains("soft brush", await AnswerAsync(question));

        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "telescopes.md"), "# Telescopes\n\n## Cleaning lenses\n\nClean telescope lenses with a lens pen, never a cloth.\n");
        await Eventually.TrueAsync(async () => (await AnswerAsync(question)).Contains("lens pen"), timeoutMs: 20_000, what: "the edited page to be re-indexed");

        File.Delete(Path.Combine(folder.FullName, "telescopes.md"));
        await Eventually.TrueAsync(async () => !(await AnswerAsync(question)).Contains("lens pen"), timeoutMs: 20_000, what: "the deleted page to leave the index");
    }
}
