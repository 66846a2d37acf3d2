using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Tests.Abstractions;

/// <summary>Every built-in type's README (src/Connectors/&lt;Vendor&gt;/README.md) documents what the admin needs: capabilities, every setting, credentials, limits.</summary>
public sealed class ConnectorReadmeTests
{
    static readonly string ConnectorsFolder = FindConnectorsFolder();

    static string FindConnectorsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) return Path.Combine(dir.FullName, "src", "Connectors");
        throw new InvalidOperationException("repository root (IntegrationHub.sln) not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> Types()
    {
        using var services = new ServiceCollection().AddConnectors().BuildServiceProvider();
        var data = new TheoryData<string>();
        foreach (var manifest in services.GetServices<ConnectorManifest>()) data.Add(manifest.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Readme_EveryType_DocumentsCapabilitiesSettingsCredentialsAndLimits(string type)
    {
        using var services = new ServiceCollection().AddConnectors().BuildServiceProvider();
        var manifest = services.GetServices<ConnectorManifest>().Single(m => m.Id == type);
        // The folder is the vendor's name; its manifest.json carries the type id.
        var folder = Directory.GetDirectories(ConnectorsFolder).Single(d =>
            File.Exists(Path.Combine(d, "manifest.json")) && File.ReadAllText(Path.Combine(d, "manifest.json")).Contains($"\"id\": \"{type}\"", StringComparison.Ordinal));
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));

        Assert.StartsWith($"# {type} ", readme);
        Assert.Contains("**Capabilities:**", readme);
        foreach (var capability in manifest.Capabilities) Assert.Contains(capability, readme);
        Assert.Contains("**Settings:**", readme);
        Assert.True(readme.Contains("**Credentials:**") || readme.Contains("**Outbound:**"), $"{type}: README says nothing about credentials");
        Assert.Contains("**Limits:**", readme);
        var shared = new[] { "rateLimitRequests", "rateLimitWindowSeconds", "timeoutSeconds", "maxRetries", "circuitBreakSeconds" };
        foreach (var (setting, _) in manifest.SettingsSchema["properties"]!.AsObject())
            if (!shared.Contains(setting)) Assert.True(readme.Contains($"`{setting}`"), $"{type}: setting '{setting}' is not documented in {folder}/README.md");
    }
}
