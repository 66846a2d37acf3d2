using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Dataverse.Mapping;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Dataverse.Api;

/// <summary>
/// Typed client for the Dataverse Web API v9.2 (OData v4, https://learn.microsoft.com/power-apps/developer/data-platform/webapi/overview).
/// Every request carries <c>OData-MaxVersion</c>/<c>OData-Version: 4.0</c>.
/// </summary>
internal sealed class DataverseClient(VendorApiClient api)
{
    /// <summary>Errors: <c>{"error":{"code":"0x80040217","message":"…"}}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text) =>
        json?["error"] is JsonObject e ? $"{e["code"]}: {e["message"]}" : null;

    static void OData(HttpRequestMessage request)
    {
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
    }

    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami
    public Task<JsonNode> WhoAmIAsync(CancellationToken ct) => GetAsync("WhoAmI", ct);

    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api
    public async Task<JsonArray> QueryAsync(string entitySet, string select, string filter, CancellationToken ct) =>
        (await GetAsync($"{entitySet}?$select={select}&$filter={Uri.EscapeDataString(filter)}&$top=5", ct))["value"] as JsonArray ?? [];

    /// <summary>Reads one row by id or alternate key; null when it does not exist.</summary>
    public async Task<JsonObject?> FindAsync(string segment, string select, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Get, $"{segment}?$select={select}", configure: OData, cancellationToken: ct, accept: [HttpStatusCode.NotFound]);
        return response.Status == HttpStatusCode.NotFound ? null : response.Json as JsonObject;
    }

    public async Task<JsonObject> GetRowAsync(string segment, string select, CancellationToken ct) => (JsonObject)await GetAsync($"{segment}?$select={select}", ct);

    /// <summary>
    /// Create-only upsert by alternate key: <c>PATCH set(key='v')</c> with <c>If-None-Match: *</c>; null when the
    /// row already exists (412). Safe to repeat, so a create whose response was lost is retried.
    /// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#prevent-update-in-upsert
    /// </summary>
    public async Task<JsonObject?> CreateByKeyAsync(string entitySet, string key, string value, JsonObject row, string select, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{DataverseMapping.KeySegment(entitySet, key, value)}?$select={select}") { Content = VendorApiClient.Json(row) };
        OData(request);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        request.Headers.Add("Prefer", "return=representation");
        request.MarkIdempotent();
        var response = await api.SendAsync(request, ct, HttpStatusCode.PreconditionFailed);
        return response.Status == HttpStatusCode.PreconditionFailed ? null : response.Json as JsonObject;
    }

    /// <summary>
    /// Update-only: <c>PATCH set(id)</c> with <c>If-Match: *</c>, so it never creates a row by accident (404 instead).
    /// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#prevent-create-in-upsert
    /// </summary>
    public async Task UpdateAsync(string segment, JsonObject changes, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, segment) { Content = VendorApiClient.Json(changes) };
        OData(request);
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        request.MarkIdempotent(); // absolute values on an existing row: repeating it changes nothing
        await api.SendAsync(request, ct);
    }

    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api (204 + OData-EntityId)
    public async Task<string?> CreateAsync(string entitySet, JsonObject row, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Post, entitySet, row, OData, ct);
        return response.Header("OData-EntityId");
    }

    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/closeincident
    public Task CloseIncidentAsync(string incidentId, string subject, int status, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, "CloseIncident", new JsonObject
        {
            ["IncidentResolution"] = new JsonObject
            {
                ["@odata.type"] = "Microsoft.Dynamics.CRM.incidentresolution",
                ["subject"] = subject,
                ["incidentid@odata.bind"] = $"/incidents({incidentId})",
            },
            ["Status"] = status,
        }, OData, ct);

    async Task<JsonNode> GetAsync(string path, CancellationToken ct) =>
        (await api.SendAsync(HttpMethod.Get, path, configure: OData, cancellationToken: ct)).Json ?? new JsonObject();
}
