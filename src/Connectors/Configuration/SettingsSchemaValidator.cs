using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationHub.Connectors.Configuration;

/// <summary>
/// Validates connector settings against the JSON Schema subset manifests use: <c>type</c>,
/// <c>properties</c>, <c>required</c>, <c>additionalProperties: false</c>, <c>enum</c>,
/// <c>items</c>, <c>minimum</c>/<c>maximum</c>, <c>minLength</c>, <c>minItems</c>,
/// <c>pattern</c> and <c>format: uri</c>.
/// </summary>
/// <remarks>No JSON Schema library restores here; this subset is all manifests may use.</remarks>
public static class SettingsSchemaValidator
{
    /// <summary>Returns (field path, problem) pairs; empty when valid.</summary>
    public static IReadOnlyList<(string Field, string Problem)> Validate(JsonNode? value, JsonObject schema, string path = "settings")
    {
        var errors = new List<(string, string)>();
        Check(value, schema, path, errors);
        return errors;
    }

    static void Check(JsonNode? value, JsonObject schema, string path, List<(string, string)> errors)
    {
        if (schema["type"]?.GetValue<string>() is { } type && !HasType(value, type))
        {
            errors.Add((path, $"expected {Article(type)} {type}, got {Describe(value)}"));
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            errors.Add((path, $"must be one of {string.Join(", ", allowed.Select(a => a?.ToJsonString()))}"));

        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors);
                break;
            case JsonArray array:
                if (schema["minItems"]?.GetValue<int>() is { } minItems && array.Count < minItems)
                    errors.Add((path, $"needs at least {minItems} item(s)"));
                if (schema["items"] is JsonObject itemSchema)
                    for (var i = 0; i < array.Count; i++) Check(array[i], itemSchema, $"{path}[{i}]", errors);
                break;
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                CheckString(text, schema, path, errors);
                break;
            case JsonValue number when number.GetValueKind() == JsonValueKind.Number:
                var d = number.GetValue<double>();
                if (schema["minimum"]?.GetValue<double>() is { } min && d < min) errors.Add((path, $"must be at least {min}"));
                if (schema["maximum"]?.GetValue<double>() is { } max && d > max) errors.Add((path, $"must be at most {max}"));
                break;
        }
    }

    static void CheckObject(JsonObject obj, JsonObject schema, string path, List<(string, string)> errors)
    {
        var properties = schema["properties"] as JsonObject;
        if (schema["required"] is JsonArray required)
            foreach (var name in required.Select(r => r!.GetValue<string>()))
                if (!obj.ContainsKey(name) || obj[name] is null)
                    errors.Add(($"{path}.{name}", "required setting is missing"));
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject childSchema) Check(child, childSchema, $"{path}.{name}", errors);
            // A map (e.g. queue name -> settings): every value follows one schema.
            else if (schema["additionalProperties"] is JsonObject valueSchema) Check(child, valueSchema, $"{path}.{name}", errors);
            else if (schema["additionalProperties"] is JsonValue extra && !extra.GetValue<bool>())
                errors.Add(($"{path}.{name}", $"unknown setting{Suggest(name, properties)}"));
        }
    }

    static void CheckString(string text, JsonObject schema, string path, List<(string, string)> errors)
    {
        if (schema["minLength"]?.GetValue<int>() is { } minLength && text.Length < minLength)
            errors.Add((path, minLength == 1 ? "must not be empty" : $"must be at least {minLength} characters"));
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern))
            errors.Add((path, $"'{text}' does not match {pattern}"));
        if (schema["format"]?.GetValue<string>() == "uri" &&
            !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")))
            errors.Add((path, $"'{text}' is not an absolute http(s) URL"));
    }

    static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() % 1 == 0,
        _ => true,
    };

    static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => $"the number {value.ToJsonString()}",
            _ => value.ToJsonString(),
        },
    };

    static string Article(string type) => type is "object" or "array" or "integer" ? "an" : "a";

    static string Suggest(string name, JsonObject? properties)
    {
        var known = properties?.Select(p => p.Key).ToList() ?? [];
        var close = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        return close is not null ? $" (did you mean '{close}'?)"
            : known.Count > 0 ? $" (known: {string.Join(", ", known)})" : "";
    }
}
