using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.ServiceNow.Api;

/// <summary>Typed client for the ServiceNow Table and Attachment APIs (https://www.servicenow.com/docs/ … c_TableAPI.html).</summary>
internal sealed class ServiceNowClient(VendorApiClient api)
{
    /// <summary><c>{"error":{"message","detail"},"status":"failure"}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text) =>
        json?["error"] is JsonObject e ? $"{e["message"]}{(e["detail"] is { } d ? $" ({d})" : "")}" : null;

    public async Task<JsonArray> QueryAsync(string table, string query, string fields, CancellationToken ct) =>
        (await api.GetAsync($"api/now/table/{table}?sysparm_query={Uri.EscapeDataString(query)}&sysparm_fields={fields}&sysparm_limit=5", ct))["result"] as JsonArray ?? [];

    public async Task<JsonObject> CreateAsync(string table, JsonObject record, CancellationToken ct) =>
        (JsonObject)(await api.SendAsync(HttpMethod.Post, $"api/now/table/{table}", record, cancellationToken: ct)).Json!["result"]!;

    /// <summary>Journal fields (<c>comments</c>, <c>work_notes</c>) append on every write.</summary>
    public Task PatchAsync(string table, string sysId, JsonObject changes, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Patch, $"api/now/table/{table}/{Uri.EscapeDataString(sysId)}", changes, cancellationToken: ct);

    // Attachment API: POST /api/now/attachment/file with the raw bytes.
    public async Task AttachAsync(string table, string sysId, string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"api/now/attachment/file?table_name={table}&table_sys_id={Uri.EscapeDataString(sysId)}&file_name={Uri.EscapeDataString(fileName)}")
        { Content = new ByteArrayContent(content.ToArray()) };
        request.Content.Headers.ContentType = new(contentType);
        await api.SendAsync(request, ct);
    }
}
