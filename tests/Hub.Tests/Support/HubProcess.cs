using System.Diagnostics;

namespace IntegrationHub.Hub.Tests.Support;

/// <summary>Runs the built hub as its own process, as `dotnet run` would, for start-up behaviour.</summary>
public static class HubProcess
{
    /// <summary>Runs <c>IntegrationHub.Hub eval …</c> as <c>dotnet run --project src/Hub -- eval …</c> would; no database, no connectors.json.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunEvalAsync(string[] arguments,
        string? pwd = null, string? workingDirectory = null, int timeoutMs = 120_000)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IntegrationHub.Hub.dll"), "eval", .. arguments])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            // A web host would fail to find this file; eval must not get that far.
            Environment = { ["Hub__ConnectorsFile"] = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json") },
        };
        start.Environment["PWD"] = pwd ?? start.WorkingDirectory;
        return await RunToExitAsync(start, timeoutMs, "eval");
    }

    static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(ProcessStartInfo start, int timeoutMs, string what)
    {
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} kept running for {timeoutMs} ms; expected it to stop. Output: {await stdout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<(int ExitCode, string StandardError)> RunUntilExitAsync(string connectorsJson, int timeoutMs = 60_000)
    {
        var folder = Directory.CreateTempSubdirectory("hub-process-");
        try
        {
            var connectors = Path.Combine(folder.FullName, "connectors.json");
            await File.WriteAllTextAsync(connectors, connectorsJson);
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IntegrationHub.Hub.dll"), "--urls", "http://127.0.0.1:0"])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                Environment =
                {
                    ["ConnectionStrings__Hub"] = $"Data Source={Path.Combine(folder.FullName, "hub.db")}",
                    ["Hub__ConnectorsFile"] = connectors,
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                },
            };
            var (exitCode, stdout, stderr) = await RunToExitAsync(start, timeoutMs, "the hub");
            return (exitCode, stderr + stdout);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The repository's own connectors.json (the one a newcomer runs with).</summary>
    public static string ShippedConnectorsFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
                return Path.Combine(directory.FullName, "connectors.json");
        throw new FileNotFoundException("IntegrationHub.sln not found above the test output");
    }

    /// <summary>Starts the hub on a free port with the given connectors.json and waits until it is healthy.</summary>
    /// <param name="connectionString">The hub's database; null: a fresh SQLite file in the process's own folder.</param>
    /// <param name="environment">Extra environment variables (e.g. <c>Hub__…</c> settings).</param>
    public static async Task<RunningHub> StartAsync(string connectorsFile, int timeoutMs = 60_000, string? connectionString = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var folder = Directory.CreateTempSubdirectory("hub-process-");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        // Content root = src/Hub, as under `dotnet run --project src/Hub`: the demo page and widget come from its wwwroot.
        var contentRoot = Path.Combine(Path.GetDirectoryName(ShippedConnectorsFile())!, "src", "Hub");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IntegrationHub.Hub.dll"), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot])
        {
            WorkingDirectory = folder.FullName,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["ConnectionStrings__Hub"] = connectionString ?? $"Data Source={Path.Combine(folder.FullName, "hub.db")}",
                ["Hub__ConnectorsFile"] = connectorsFile,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var hub = new RunningHub(process, new Uri($"http://127.0.0.1:{port}/"), folder, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri(hub.Address, "healthz"))).IsSuccessStatusCode) return hub;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await hub.DisposeAsync();
        throw new TimeoutException($"the hub did not become healthy. Output:\n{output}");
    }

    public sealed class RunningHub(Process process, Uri address, DirectoryInfo folder, System.Text.StringBuilder output) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public string Output { get { lock (output) return output.ToString(); } }

        /// <summary>SIGKILL, as a crash or an OOM kill would: no shutdown hooks, no graceful job completion.</summary>
        public async Task KillAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
