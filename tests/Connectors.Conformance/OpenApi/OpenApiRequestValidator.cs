using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.FakeServers;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace IntegrationHub.Connectors.Conformance.OpenApi;

/// <summary>
/// Checks a recorded HTTP request against an OpenAPI document (Microsoft.OpenApi 3.x): the path matches a
/// templated path, the method is an operation of it, every query parameter sent is declared, required
/// path/query/header parameters are present, and a required JSON body is there, with its required
/// properties and the declared types of the properties it sends (following <c>$ref</c> and <c>allOf</c>).
/// </summary>
public sealed class OpenApiRequestValidator
{
    readonly OpenApiDocument document;
    readonly List<(string Template, string[] Segments, IOpenApiPathItem Item)> paths;

    OpenApiRequestValidator(OpenApiDocument document)
    {
        this.document = document;
        paths = document.Paths.Select(p => (p.Key, p.Key.Trim('/').Split('/'), p.Value)).ToList();
    }

    public static async Task<OpenApiRequestValidator> LoadAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        var (document, diagnostic) = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings());
        if (document is null)
            throw new InvalidDataException($"{file} is not an OpenAPI document: {string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? [])}");
        return new OpenApiRequestValidator(document);
    }

    public string Title => document.Info?.Title ?? "";

    /// <summary>The operation a request maps to, or null when no templated path matches it.</summary>
    public (string Template, OpenApiOperation? Operation)? Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        // Literal segments beat templated ones (/issue/createmeta before /issue/{issueIdOrKey}).
        var match = paths.Where(p => p.Segments.Length == segments.Length && p.Segments.Zip(segments).All(s => IsParameter(s.First) || s.First == s.Second))
            .OrderByDescending(p => p.Segments.Count(s => !IsParameter(s))).Select(p => ((string, IOpenApiPathItem)?)(p.Template, p.Item)).FirstOrDefault();
        if (match is not { } found) return null;
        var operation = found.Item2.Operations?.FirstOrDefault(o => string.Equals(o.Key.Method, method, StringComparison.OrdinalIgnoreCase)).Value;
        return (found.Item1, operation);
    }

    /// <summary>Problems with the request; empty when it conforms.</summary>
    public IReadOnlyList<string> Validate(RecordedRequest request)
    {
        var problems = new List<string>();
        var where = $"{request.Method} {request.Path}";
        if (Find(request.Method, request.Path) is not { } found) return [$"{where}: no path of '{Title}' matches"];
        if (found.Operation is not { } operation) return [$"{where}: {found.Template} has no {request.Method} operation"];
        var declared = (found.Operation.Parameters ?? []).Concat(PathItem(found.Template).Parameters ?? []).ToList();
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Query);
        foreach (var name in query.Keys.Where(k => !declared.Any(p => p.In == ParameterLocation.Query && p.Name == k)))
            problems.Add($"{where}: query parameter '{name}' is not declared by {operation.OperationId}");
        foreach (var parameter in declared.Where(p => p.Required))
        {
            var present = parameter.In switch
            {
                ParameterLocation.Query => query.ContainsKey(parameter.Name!),
                ParameterLocation.Header => request.Headers.ContainsKey(parameter.Name!),
                ParameterLocation.Path => found.Template.Contains($"{{{parameter.Name}}}", StringComparison.Ordinal),
                _ => true,
            };
            if (!present) problems.Add($"{where}: required {parameter.In} parameter '{parameter.Name}' of {operation.OperationId} is missing");
        }
        if (operation.RequestBody is { } body)
        {
            if (request.Body.Length == 0)
            {
                if (body.Required) problems.Add($"{where}: {operation.OperationId} requires a request body");
            }
            else if (request.ContentType?.Split(';')[0].Trim() is { } type && body.Content?.TryGetValue(type, out var media) == true)
            {
                if (type == "application/json" && media.Schema is { } schema)
                {
                    JsonNode? json = null;
                    try { json = JsonNode.Parse(request.Body); }
                    catch (JsonException e) { problems.Add($"{where}: body is not JSON: {e.Message}"); }
                    if (json is not null) CheckSchema(json, schema, "body", $"{where} ({operation.OperationId})", problems);
                }
            }
            else problems.Add($"{where}: content type '{request.ContentType}' is not one of {string.Join(", ", body.Content?.Keys ?? [])} for {operation.OperationId}");
        }
        else if (request.Body.Length > 0) problems.Add($"{where}: {operation.OperationId} takes no request body");
        return problems;
    }

    IOpenApiPathItem PathItem(string template) => document.Paths[template];

    static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    static void CheckSchema(JsonNode? value, IOpenApiSchema schema, string at, string where, List<string> problems)
    {
        if (value is null) return;
        foreach (var part in schema.AllOf ?? []) CheckSchema(value, part, at, where, problems);
        if (schema.Type is { } type && !Fits(value, type))
        {
            problems.Add($"{where}: {at} should be {type} but is {value.GetValueKind()}");
            return;
        }
        if (value is JsonObject obj)
        {
            foreach (var name in schema.Required ?? new HashSet<string>())
                if (!obj.ContainsKey(name)) problems.Add($"{where}: {at}.{name} is required");
            foreach (var (name, child) in obj)
                if (schema.Properties?.TryGetValue(name, out var property) == true) CheckSchema(child, property, $"{at}.{name}", where, problems);
                else if (schema.AdditionalPropertiesAllowed == false) problems.Add($"{where}: {at}.{name} is not a property of the schema");
                else if (schema.AdditionalProperties is { } additional) CheckSchema(child, additional, $"{at}.{name}", where, problems);
        }
        if (value is JsonArray array && schema.Items is { } items)
            for (var i = 0; i < array.Count; i++) CheckSchema(array[i], items, $"{at}[{i}]", where, problems);
    }

    static bool Fits(JsonNode value, JsonSchemaType type) => value.GetValueKind() switch
    {
        JsonValueKind.Object => type.HasFlag(JsonSchemaType.Object),
        JsonValueKind.Array => type.HasFlag(JsonSchemaType.Array),
        JsonValueKind.String => type.HasFlag(JsonSchemaType.String),
        JsonValueKind.Number => type.HasFlag(JsonSchemaType.Number) || (type.HasFlag(JsonSchemaType.Integer) && value.GetValue<double>() % 1 == 0),
        JsonValueKind.True or JsonValueKind.False => type.HasFlag(JsonSchemaType.Boolean),
        JsonValueKind.Null => type.HasFlag(JsonSchemaType.Null),
        _ => false,
    };
}
