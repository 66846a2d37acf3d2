using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Configuration;

/// <summary>One validated entry of <c>connectors.json</c>.</summary>
/// <remarks>Settings hold secret <em>references</em> only, so the whole record is safe to show and log.</remarks>
public sealed record ConnectorConfig(string Id, string Type, bool Enabled, JsonObject Settings, ConnectorManifest Manifest, string BaseDirectory)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Binds the settings to an options type (camelCase names, as in the file).</summary>
    public T Bind<T>() where T : new() => Settings.Deserialize<T>(Json) ?? new T();

    /// <summary>Reads a secret setting's current value; throws naming connector and field when it cannot.</summary>
    public string? Secret(string setting)
    {
        if (Settings[setting]?.GetValue<string>() is not { } text) return null;
        if (!SecretReference.TryParse(text, out var reference, out var error) ||
            !reference!.TryResolve(BaseDirectory, out var value, out error))
            throw new ConnectorConfigurationException([new(Id, $"settings.{setting}", error)]);
        return value;
    }
}
