using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.HubSpot.Api;

/// <summary>Typed client for HubSpot CRM v3 (https://developers.hubspot.com/docs/api/crm/).</summary>
internal sealed class HubSpotClient(VendorApiClient api)
{
    /// <summary><c>{"status":"error","message","category","errors":[{"message","in"}]}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text)
    {
        if (json is not JsonObject o) return null;
        var parts = new List<string?> { o["message"]?.ToString() };
        parts.AddRange((o["errors"] as JsonArray ?? []).Select(e => $"{e?["in"]}: {e?["message"]}"));
        if (o["category"] is { } c) parts.Add($"({c})");
        return string.Join(" ", parts.Where(p => p is not null));
    }

    public Task<JsonNode> ProbeAsync(CancellationToken ct) => api.GetAsync("crm/v3/objects/tickets?limit=1", ct);

    // https://developers.hubspot.com/docs/api/crm/search
    public async Task<JsonArray> SearchAsync(string objectType, string property, string value, string[] properties, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject { ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = property, ["operator"] = "EQ", ["value"] = value }) }),
            ["properties"] = new JsonArray(properties.Select(p => (JsonNode?)p).ToArray()),
            ["limit"] = 10,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"crm/v3/objects/{objectType}/search") { Content = VendorApiClient.Json(body) };
        request.MarkIdempotent(); // a read
        return (await api.SendAsync(request, ct)).Json?["results"] as JsonArray ?? [];
    }

    /// <summary>Batch upsert by a unique property: safe to repeat, never creates twice.</summary>
    public async Task<JsonObject> UpsertAsync(string objectType, string idProperty, string id, JsonObject properties, CancellationToken ct)
    {
        var body = new JsonObject { ["inputs"] = new JsonArray(new JsonObject { ["idProperty"] = idProperty, ["id"] = id, ["properties"] = properties }) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"crm/v3/objects/{objectType}/batch/upsert") { Content = VendorApiClient.Json(body) };
        request.MarkIdempotent();
        return (JsonObject)((await api.SendAsync(request, ct)).Json?["results"] as JsonArray ?? [])[0]!;
    }

    public async Task<JsonObject> CreateAsync(string objectType, JsonObject properties, JsonArray associations, CancellationToken ct) =>
        (JsonObject)(await api.SendAsync(HttpMethod.Post, $"crm/v3/objects/{objectType}", new JsonObject { ["properties"] = properties, ["associations"] = associations }, cancellationToken: ct)).Json!;

    public Task UpdateAsync(string objectType, string id, JsonObject properties, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Patch, $"crm/v3/objects/{objectType}/{Uri.EscapeDataString(id)}", new JsonObject { ["properties"] = properties }, cancellationToken: ct);

    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => api.GetAsync(path, ct);

    // https://developers.hubspot.com/docs/api/crm/associations (v4 default association; PUT is idempotent)
    public Task AssociateAsync(string fromType, string fromId, string toType, string toId, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Put, $"crm/v4/objects/{fromType}/{Uri.EscapeDataString(fromId)}/associations/default/{toType}/{Uri.EscapeDataString(toId)}", cancellationToken: ct);

    // https://developers.hubspot.com/docs/api/files/files
    public async Task<string> UploadFileAsync(string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var file = new ByteArrayContent(content.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent
        {
            { file, "file", fileName },
            { new StringContent("/integration-hub/transcripts"), "folderPath" },
            { new StringContent("{\"access\":\"PRIVATE\"}"), "options" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "files/v3/files") { Content = form };
        return (await api.SendAsync(request, ct)).Json?["id"]?.ToString() ?? throw new InvalidDataException("file upload without id");
    }
}
