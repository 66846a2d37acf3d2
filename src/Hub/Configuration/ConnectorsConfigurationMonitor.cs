using IntegrationHub.Connectors.Configuration;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Configuration;

/// <summary>
/// Holds the current <c>connectors.json</c>: loaded at start (an invalid file stops the hub with
/// the problems listed), reloaded on change (an invalid edit keeps the last good configuration
/// and logs why).
/// </summary>
public sealed class ConnectorsConfigurationMonitor : IHostedService, IDisposable
{
    readonly ConnectorCatalog catalog;
    readonly ILogger<ConnectorsConfigurationMonitor> logger;
    FileSystemWatcher? watcher;
    Timer? debounce;
    string lastText = "";

    public ConnectorsConfigurationMonitor(ConnectorCatalog catalog, IOptions<HubOptions> options, IHostEnvironment environment, ILogger<ConnectorsConfigurationMonitor> logger)
    {
        this.catalog = catalog;
        this.logger = logger;
        FilePath = Locate(options.Value.ConnectorsFile, environment.ContentRootPath);
    }

    public string FilePath { get; }

    public ConnectorsConfiguration Current { get; private set; } = ConnectorsConfiguration.Empty;

    /// <summary>Raised after a valid change has been applied.</summary>
    public event Action<ConnectorsConfiguration>? Changed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
            throw new ConnectorConfigurationException([new("connectors.json", "file", $"not found at {FilePath} (set Hub:ConnectorsFile)")]);
        lastText = File.ReadAllText(FilePath);
        Current = ConnectorsFileParser.Parse(lastText, catalog, Path.GetDirectoryName(FilePath)!);
        logger.LogInformation("Loaded {Count} connector(s) from {File}: {Connectors}", Current.Connectors.Count, FilePath,
            string.Join(", ", Current.Connectors.Select(c => $"{c.Id} ({c.Type}{(c.Enabled ? "" : ", disabled")})")));

        watcher = new FileSystemWatcher(Path.GetDirectoryName(FilePath)!, Path.GetFileName(FilePath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        debounce = new Timer(_ => Reload());
        // Editors write in several steps (truncate, write, rename); wait for them to finish.
        void Schedule(object? sender, FileSystemEventArgs e) => debounce.Change(TimeSpan.FromMilliseconds(250), Timeout.InfiniteTimeSpan);
        watcher.Changed += Schedule;
        watcher.Created += Schedule;
        watcher.Renamed += (s, e) => Schedule(s, e);
        watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    /// <summary>Re-reads the file now; returns false (and keeps the current configuration) when it is invalid.</summary>
    public bool Reload()
    {
        lock (this)
        {
            string text;
            try
            {
                text = File.ReadAllText(FilePath);
            }
            catch (IOException e)
            {
                logger.LogWarning("connectors.json could not be read ({Reason}); keeping the last good configuration", e.Message);
                return false;
            }
            if (text == lastText) return true;
            try
            {
                Current = ConnectorsFileParser.Parse(text, catalog, Path.GetDirectoryName(FilePath)!);
                lastText = text;
            }
            catch (ConnectorConfigurationException e)
            {
                logger.LogError("connectors.json changed but is invalid; keeping the last good configuration. {Problems}", e.Message);
                return false;
            }
            logger.LogInformation("Reloaded connectors.json: {Count} connector(s)", Current.Connectors.Count);
        }
        Changed?.Invoke(Current);
        return true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        watcher?.Dispose();
        debounce?.Dispose();
    }

    static string Locate(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, contentRoot);
        var inWorkingDirectory = Path.GetFullPath("connectors.json");
        if (File.Exists(inWorkingDirectory)) return inWorkingDirectory;
        // `dotnet run --project src/Hub` from elsewhere: the repository's file sits two levels up.
        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "connectors.json");
            if (File.Exists(candidate)) return candidate;
        }
        return inWorkingDirectory;
    }
}
