using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>A connector with the knowledge-source capability feeds the bot: synced at start, re-synced on request.</summary>
public sealed class ConnectorKnowledgeTests : IAsyncLifetime
{
    /// <summary>A help centre standing in for a vendor's: the hub only sees the capability.</summary>
    sealed class HelpCentre(ConnectorManifest manifest, string id) : IConnector, IKnowledgeSource
    {
        public static readonly List<KnowledgeArticle> Articles = [];

        public string Id => id;
        public ConnectorManifest Manifest => manifest;

        public Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => Task.FromResult(CheckResult.Success());

        public async IAsyncEnumerable<KnowledgeArticle> ListArticlesAsync(DateTimeOffset? changedSince = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var article in Articles.ToList())
            {
                await Task.Yield();
                yield return article;
            }
        }
    }

    sealed class HelpCentreFactory(ConnectorManifest manifest) : IConnectorFactory
    {
        public ConnectorManifest Manifest => manifest;
        public IConnector Create(ConnectorConfig config) => new HelpCentre(manifest, config.Id);
    }

    static readonly ConnectorManifest Manifest = new()
    {
        Id = "test-helpcentre",
        DisplayName = "Test help centre",
        Capabilities = [ConnectorCapabilities.KnowledgeSource],
    };

    HubFactory hub = null!;
    HttpClient admin = null!;

    async Task StartAsync(string backend)
    {
        HelpCentre.Articles.Clear();
        HelpCentre.Articles.Add(new KnowledgeArticle("360001", "Telescope warranty",
            "<h1>Telescope warranty</h1><h2>Lens replacement</h2><p>Cracked telescope lenses are replaced free of charge within three years of purchase.</p>",
            "https://help.acme.example/articles/360001", DateTimeOffset.UtcNow));
        var connectors = HubFactory.BotConnectors.Replace("{ \"id\": \"bot\",", "{ \"id\": \"kb\", \"type\": \"test-helpcentre\", \"settings\": {} },\n{ \"id\": \"bot\",");
        hub = await HubFactory.CreateAsync(backend, connectors, services: s =>
        {
            s.AddSingleton(Manifest);
            s.AddSingleton<IConnectorFactory>(new HelpCentreFactory(Manifest));
        });
        admin = hub.CreateClient();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (hub is not null) await hub.DisposeAsync();
    }

    async Task<JsonElement> PreviewAsync(string text) =>
        await (await admin.PostAsJsonAsync("/api/admin/bot/preview", new { text })).Content.ReadFromJsonAsync<JsonElement>();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Start_KnowledgeConnector_ArticlesIndexedAndCited(string backend)
    {
        await StartAsync(backend);
        var preview = await PreviewAsync("are cracked telescope lenses replaced for free?");

        Assert.Contains("three years", preview.GetProperty("text").GetString());
        Assert.Contains(preview.GetProperty("citations").EnumerateArray(), c => c.GetProperty("url").GetString()!.StartsWith("https://help.acme.example/articles/360001"));
        var sources = await admin.GetFromJsonAsync<JsonElement>("/api/admin/bot/knowledge/sources");
        Assert.Contains(sources.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "connector-kb" && s.GetProperty("kind").GetString() == "connector");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Reindex_ArticleEdited_AnswerUpdatedOnlyThatArticleRewritten(string backend)
    {
        await StartAsync(backend);
        HelpCentre.Articles.Add(new KnowledgeArticle("360002", "Binocular straps", "<h1>Binocular straps</h1><p>Replacement binocular straps cost five pounds.</p>",
            "https://help.acme.example/articles/360002", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/admin/bot/knowledge/sources/connector-kb/reindex", null)).StatusCode);
        HelpCentre.Articles[0] = HelpCentre.Articles[0] with
        {
            Body = "<h1>Telescope warranty</h1><h2>Lens replacement</h2><p>Cracked telescope lenses are replaced free of charge within five years of purchase.</p>",
        };

        var reindex = await admin.PostAsync("/api/admin/bot/knowledge/sources/connector-kb/reindex", null);
        var preview = await PreviewAsync("are cracked telescope lenses replaced for free?");

        Assert.Equal(HttpStatusCode.OK, reindex.StatusCode);
        var report = (await reindex.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("report");
        Assert.Equal((1, 1, 0, 0), (report.GetProperty("updated").GetInt32(), report.GetProperty("unchanged").GetInt32(), report.GetProperty("added").GetInt32(), report.GetProperty("removed").GetInt32()));
        Assert.Contains("five years", preview.GetProperty("text").GetString());
        Assert.DoesNotContain("three years", preview.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Reindex_ArticleUnpublished_BotStopsCitingIt(string backend)
    {
        await StartAsync(backend);
        HelpCentre.Articles.Clear();

        var reindex = await admin.PostAsync("/api/admin/bot/knowledge/sources/connector-kb/reindex", null);
        var preview = await PreviewAsync("are cracked telescope lenses replaced for free?");

        Assert.Equal(HttpStatusCode.OK, reindex.StatusCode);
        Assert.DoesNotContain("three years", preview.GetProperty("text").GetString());
        Assert.DoesNotContain(preview.GetProperty("citations").EnumerateArray(), c => c.GetProperty("url").GetString()!.Contains("360001"));
    }
}
