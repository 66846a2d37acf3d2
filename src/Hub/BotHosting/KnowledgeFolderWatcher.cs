using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Hub.Configuration;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// Re-indexes a knowledge folder when its files change, so a bot designer's edit to a Markdown or
/// HTML page reaches the bot without a restart. The indexer compares content hashes, so a re-index
/// only touches the pages that changed.
/// </summary>
internal sealed class KnowledgeFolderWatcher(HubBot bot, IKnowledgeSourceStore sources, ConnectorsConfigurationMonitor connectors, ILogger<KnowledgeFolderWatcher> logger)
    : BackgroundService
{
    static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchers = new Dictionary<string, FileSystemWatcher>(StringComparer.Ordinal);
        var changed = System.Threading.Channels.Channel.CreateUnbounded<string>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Follow the configured sources (they change with connectors.json and the API).
                var workspace = connectors.Current.Workspace;
                var folders = (await sources.ListAsync(workspace, stoppingToken))
                    .Where(s => s.Enabled && s.Kind == KnowledgeSourceKinds.Folder && Directory.Exists(s.Location)).ToList();
                foreach (var gone in watchers.Keys.Except(folders.Select(f => f.Id)).ToList())
                {
                    watchers[gone].Dispose();
                    watchers.Remove(gone);
                }
                foreach (var source in folders.Where(f => !watchers.ContainsKey(f.Id)))
                {
                    var watcher = new FileSystemWatcher(source.Location!) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName };
                    var id = source.Id;
                    FileSystemEventHandler signal = (_, _) => changed.Writer.TryWrite(id);
                    watcher.Changed += signal;
                    watcher.Created += signal;
                    watcher.Deleted += signal;
                    watcher.Renamed += (_, _) => changed.Writer.TryWrite(id);
                    watcher.EnableRaisingEvents = true;
                    watchers[id] = watcher;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(TimeSpan.FromSeconds(10));
                string first;
                try { first = await changed.Reader.ReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { continue; }
                // Editors save in several steps: let them finish, then re-index each touched folder once.
                await Task.Delay(Settle, stoppingToken);
                var touched = new HashSet<string> { first };
                while (changed.Reader.TryRead(out var more)) touched.Add(more);
                foreach (var source in folders.Where(f => touched.Contains(f.Id)))
                    await ReindexAsync(source, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            foreach (var watcher in watchers.Values) watcher.Dispose();
        }
    }

    async Task ReindexAsync(KnowledgeSource source, CancellationToken cancellationToken)
    {
        if (bot.Current is not { } runtime) return;
        try
        {
            var report = await runtime.Indexer.SyncFolderAsync(source, cancellationToken);
            logger.LogInformation("Knowledge folder {SourceId} changed on disk and was re-indexed: {Report}", source.Id, report);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Knowledge folder {SourceId} could not be re-indexed yet: {Reason}", source.Id, e.Message);
        }
    }
}
