using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Connectors.Configuration;

/// <summary>
/// Parses and validates <c>connectors.json</c> against the catalog's manifests. Every problem is
/// collected (not just the first), each naming the connector and the field.
/// </summary>
public static class ConnectorsFileParser
{
    const string File = "connectors.json";

    public static ConnectorsConfiguration Parse(string json, ConnectorCatalog catalog, string baseDirectory)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConnectorConfigurationException([new(File, $"line {e.LineNumber + 1}", $"malformed JSON: {e.Message}")]);
        }
        if (root is not JsonObject top || top["connectors"] is not JsonArray entries)
            throw new ConnectorConfigurationException([new(File, "connectors", "expected an object with a \"connectors\" array")]);

        var errors = new List<ConnectorConfigError>();
        var workspace = top["workspace"]?.GetValue<string>() ?? "default";
        var result = new List<ConnectorConfig>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (ParseEntry(entries[i], i, catalog, baseDirectory, errors) is not { } config) continue;
            if (!seen.Add(config.Id)) errors.Add(new(config.Id, "id", "duplicate connector id"));
            else result.Add(config);
        }
        if (errors.Count > 0) throw new ConnectorConfigurationException(errors);
        return new ConnectorsConfiguration(workspace, result);
    }

    static ConnectorConfig? ParseEntry(JsonNode? node, int index, ConnectorCatalog catalog, string baseDirectory, List<ConnectorConfigError> errors)
    {
        var label = $"connectors[{index}]";
        if (node is not JsonObject entry)
        {
            errors.Add(new(label, "", "expected an object"));
            return null;
        }
        var id = Text(entry, "id");
        var name = id ?? label;
        if (id is null || !System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z0-9][a-z0-9-_]*$"))
            errors.Add(new(name, "id", id is null ? "required: a lowercase id such as \"zendesk-eu\"" : "use lowercase letters, digits, - and _"));
        var type = Text(entry, "type");
        var manifest = type is null ? null : catalog.Find(type);
        if (type is null) errors.Add(new(name, "type", "required"));
        else if (manifest is null)
            errors.Add(new(name, "type", $"unknown connector type '{type}' (known: {string.Join(", ", catalog.Manifests.Select(m => m.Id).Order())})"));
        var enabledNode = entry["enabled"];
        if (enabledNode is not null && enabledNode.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            errors.Add(new(name, "enabled", "expected true or false"));
        var enabled = enabledNode?.GetValueKind() != JsonValueKind.False;
        var settings = entry["settings"] ?? new JsonObject();
        if (settings is not JsonObject settingsObject)
        {
            errors.Add(new(name, "settings", "expected an object"));
            return null;
        }
        foreach (var key in entry.Select(p => p.Key).Except(["id", "type", "enabled", "settings", "description"]))
            errors.Add(new(name, key, "unknown field (expected id, type, enabled, settings, description)"));
        if (manifest is null || id is null) return null;

        var before = errors.Count;
        foreach (var (field, problem) in SettingsSchemaValidator.Validate(settingsObject, manifest.SettingsSchema))
            errors.Add(new(name, field, problem));
        foreach (var secret in manifest.Secrets)
        {
            if (settingsObject[secret] is not JsonValue value || !value.TryGetValue<string>(out var text)) continue;
            if (!SecretReference.TryParse(text, out var reference, out var error))
                errors.Add(new(name, $"settings.{secret}", error));
            else if (enabled && !reference!.TryResolve(baseDirectory, out _, out error))
                errors.Add(new(name, $"settings.{secret}", $"bad secret reference {reference}: {error}"));
        }
        return errors.Count == before ? new ConnectorConfig(id, type!, enabled, settingsObject, manifest, baseDirectory) : null;
    }

    static string? Text(JsonObject entry, string key) =>
        entry[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
