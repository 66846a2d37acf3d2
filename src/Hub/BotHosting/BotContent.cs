using System.Text;
using IntegrationHub.Bot;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Connectors.Abstractions;
using System.Runtime.CompilerServices;
using IntegrationHub.Hub.Configuration;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// Brings a workspace's bot content in line with the configuration: the sample intents when the workspace
/// has none, a folder source for the sample knowledge and for each configured <c>knowledgeFolders</c> entry,
/// and an incremental re-index (by content hash) of every enabled folder source.
/// </summary>
/// <remarks>Idempotent: safe at every start, on every node, and after every change of connectors.json.</remarks>
internal sealed class BotContent(
    IIntentStore intents, IKnowledgeSourceStore sources, IConnectorRegistry connectors, IOptions<HubOptions> options, ILogger<BotContent> logger)
{
    /// <summary>Id of the sample knowledge source.</summary>
    public const string SampleSourceId = "sample";

    /// <summary>Sources whose id starts with this come from <c>knowledgeFolders</c> and go when the entry goes.</summary>
    public const string ConfiguredPrefix = "config-";

    /// <summary>Sources whose id starts with this are connectors with the knowledge-source capability.</summary>
    public const string ConnectorPrefix = "connector-";

    public async Task PrepareAsync(string workspaceId, BotRuntime runtime, CancellationToken cancellationToken)
    {
        var seed = options.Value.SeedSampleContent;
        if (seed && (await intents.ListAsync(workspaceId, cancellationToken)).Count == 0)
        {
            var sample = SampleContent.Intents();
            foreach (var intent in sample) await intents.UpsertAsync(workspaceId, intent, cancellationToken);
            logger.LogInformation("Workspace {Workspace} had no intents: added the {Count} sample intents", workspaceId, sample.Count);
        }

        var wanted = new List<KnowledgeSource>();
        if (seed) wanted.Add(new KnowledgeSource(workspaceId, SampleSourceId, KnowledgeSourceKinds.Folder, SampleContent.KnowledgeFolder, Title: "Sample help centre"));
        wanted.AddRange(ConfiguredFolders(workspaceId, runtime));
        wanted.AddRange(connectors.All.Where(c => c is IKnowledgeSource).Select(c =>
            new KnowledgeSource(workspaceId, ConnectorPrefix + c.Id, KnowledgeSourceKinds.Connector, Location: c.Id, Title: $"{c.Manifest.DisplayName} ({c.Id})")));
        foreach (var stale in (await sources.ListAsync(workspaceId, cancellationToken)).Where(s => IsManaged(s.Id) && wanted.All(w => w.Id != s.Id)))
        {
            // Taken out of the configuration: the bot must stop citing it.
            await runtime.Indexer.RemoveAsync(workspaceId, stale.Id, cancellationToken: cancellationToken);
            await sources.DeleteAsync(workspaceId, stale.Id, cancellationToken);
            logger.LogInformation("Knowledge source {SourceId} is no longer configured: removed", stale.Id);
        }
        foreach (var source in wanted) await sources.UpsertAsync(source, cancellationToken);

        foreach (var source in (await sources.ListAsync(workspaceId, cancellationToken)).Where(s => s.Enabled && s.Kind == KnowledgeSourceKinds.Folder))
        {
            try
            {
                await runtime.Indexer.SyncFolderAsync(source, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // One unreadable folder must not keep the others (or the hub) from starting.
                logger.LogError("Knowledge source {SourceId} ({Folder}) could not be indexed: {Reason}", source.Id, source.Location, e.Message);
            }
        }
        foreach (var source in (await sources.ListAsync(workspaceId, cancellationToken)).Where(s => s.Enabled && s.Kind == KnowledgeSourceKinds.Connector))
        {
            try
            {
                await SyncConnectorAsync(runtime, source, cancellationToken);
            }
            catch (ConnectorException e)
            {
                // A vendor outage must not keep the hub from starting; the last indexed articles stay in use.
                logger.LogError("Knowledge source {SourceId} could not be synced: {Reason}", source.Id, e.Message);
            }
        }
    }

    /// <summary>Reads every published article of a knowledge-source connector; articles gone from it leave the index.</summary>
    public async Task<IndexingReport> SyncConnectorAsync(BotRuntime runtime, KnowledgeSource source, CancellationToken cancellationToken)
    {
        if (connectors.Find(source.Location ?? "") is not IKnowledgeSource connector)
            throw new InvalidOperationException($"knowledge source '{source.Id}': connector '{source.Location}' is not enabled or offers no knowledge");
        var report = await runtime.Indexer.SyncAsync(source.WorkspaceId, source.Id, Articles(connector, cancellationToken), cancellationToken);
        logger.LogInformation("Knowledge source {SourceId} synced from its connector", source.Id);
        return report;
    }

    static async IAsyncEnumerable<KnowledgeDocument> Articles(IKnowledgeSource connector, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var article in connector.ListArticlesAsync(null, cancellationToken))
        {
            // Help centres deliver HTML or Markdown; the indexer parses each by its own rules.
            var type = article.Body.TrimStart().StartsWith('<') ? KnowledgeDocument.Html : KnowledgeDocument.Markdown;
            yield return new KnowledgeDocument(article.Id, article.Title, article.Body, type, article.Url);
        }
    }

    static bool IsManaged(string sourceId) =>
        sourceId == SampleSourceId || sourceId.StartsWith(ConfiguredPrefix, StringComparison.Ordinal) || sourceId.StartsWith(ConnectorPrefix, StringComparison.Ordinal);

    /// <summary>One folder source per <c>knowledgeFolders</c> entry; relative paths are relative to connectors.json.</summary>
    static IEnumerable<KnowledgeSource> ConfiguredFolders(string workspaceId, BotRuntime runtime)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in runtime.Options.KnowledgeFolders)
        {
            var path = Path.GetFullPath(folder, runtime.Bot.BaseDirectory);
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
            var id = ConfiguredPrefix + Slug(name);
            for (var n = 2; !used.Add(id); n++) id = $"{ConfiguredPrefix}{Slug(name)}-{n}";
            yield return new KnowledgeSource(workspaceId, id, KnowledgeSourceKinds.Folder, path, Title: name);
        }
    }

    /// <summary>URL-safe: the id appears in <c>/knowledge/{sourceId}/…</c> citation links.</summary>
    static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "folder" : slug;
    }
}
