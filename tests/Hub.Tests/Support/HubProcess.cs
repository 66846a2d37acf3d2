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
            throw new TimeoutException($"eval kept running for {timeoutMs} ms. Output: {await stdout}");
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
                throw new TimeoutException($"the hub kept running for {timeoutMs} ms; expected it to stop. Output: {await stdout}");
            }
            return (process.ExitCode, await stderr + await stdout);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
