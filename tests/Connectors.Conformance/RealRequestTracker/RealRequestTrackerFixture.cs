using System.Diagnostics;

namespace IntegrationHub.Connectors.Conformance.RealRequestTracker;

/// <summary>
/// Starts a real Request Tracker 5 (Debian's request-tracker5 + SQLite) on 127.0.0.1:8080 with the
/// project's <c>scripts/rt-up.sh</c> (installs it when missing: about 90 s; needs root and Debian's
/// package mirror) and reads the connection details it prints.
/// </summary>
public sealed class RealRequestTrackerFixture
{
    public RealRequestTrackerFixture()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "rt-up.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "start"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) throw new TimeoutException("rt-up.sh did not finish in 10 minutes");
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/rt-up.sh failed ({process.ExitCode}): {stderr.Result}");
        Values = stdout.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && !p[0].StartsWith('#'))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('\''));
    }

    public IReadOnlyDictionary<string, string> Values { get; }
    public string Url => Values["RT_URL"];
    public string Token => Values["RT_TOKEN"];

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }
}
