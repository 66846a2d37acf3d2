using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// What a connector type is and how it is configured: type id, capabilities, settings schema,
/// secrets and the webhook events it can receive. Loaded from the type's <c>manifest.json</c>.
/// </summary>
/// <remarks>Immutable and shared by every instance of the type.</remarks>
public sealed record ConnectorManifest
{
    /// <summary>Lowercase type id: folder name, <c>connectors.json</c> type and log scope.</summary>
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public string Version { get; init; } = "1";
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    /// <summary>JSON Schema (a subset: see <see cref="Configuration.SettingsSchemaValidator"/>) for <c>settings</c>.</summary>
    public JsonObject SettingsSchema { get; init; } = new() { ["type"] = "object" };
    /// <summary>Settings whose values are secret references (<c>env:NAME</c> or a file path), never literals.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
    public IReadOnlyList<string> WebhookEvents { get; init; } = [];

    // Case-sensitive: the schema nodes it creates must not match "Subdomain" to "subdomain".
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, PropertyNameCaseInsensitive = false };

    public static ConnectorManifest Parse(string json) =>
        JsonSerializer.Deserialize<ConnectorManifest>(json, Json) ?? throw new InvalidDataException("manifest is empty");

    /// <summary>Reads a manifest embedded next to a connector's code (<c>Folder/manifest.json</c>).</summary>
    public static ConnectorManifest FromResource(Assembly assembly, string folder)
    {
        var name = assembly.GetManifestResourceNames()
            .SingleOrDefault(n => n.EndsWith($".{folder}.manifest.json", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no embedded {folder}/manifest.json in {assembly.GetName().Name}");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public bool IsSecret(string setting) => Secrets.Contains(setting, StringComparer.Ordinal);
}
