using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Salesforce.Api;

/// <summary>Typed client for the Salesforce REST API (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/), one pinned version.</summary>
internal sealed class SalesforceClient(VendorApiClient api, string apiVersion)
{
    string Data => $"services/data/{apiVersion}";

    /// <summary>Errors are a JSON array: <c>[{"message","errorCode","fields":[…]}]</c>; the code is kept (REQUEST_LIMIT_EXCEEDED drives throttling).</summary>
    public static string? ReadError(JsonNode? json, string text)
    {
        var errors = json as JsonArray ?? (json is JsonObject o ? new JsonArray(o.DeepClone()) : null);
        if (errors is null) return null;
        var parts = errors.OfType<JsonObject>().Select(e =>
            $"{e["errorCode"]}: {e["message"]}{(e["fields"] is JsonArray { Count: > 0 } f ? $" [{string.Join(", ", f)}]" : "")}").ToList();
        return parts.Count > 0 ? string.Join(" - ", parts) : null;
    }

    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
    public async Task<(JsonArray Records, string? LimitInfo)> QueryAsync(string soql, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Get, $"{Data}/query?q={Uri.EscapeDataString(soql)}", cancellationToken: ct);
        return (response.Json?["records"] as JsonArray ?? [], response.Header("Sforce-Limit-Info"));
    }

    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_upsert.htm (GET by external id)
    public async Task<JsonObject?> GetByExternalIdAsync(string sobject, string field, string value, string fields, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Get, $"{Data}/sobjects/{sobject}/{field}/{Uri.EscapeDataString(value)}?fields={fields}",
            cancellationToken: ct, accept: [HttpStatusCode.NotFound]);
        return response.Status == HttpStatusCode.NotFound ? null : response.Json as JsonObject;
    }

    // https://developer.salesforce.com/docs/platform/api-rest/guide/dome-upsert.html
    // No match creates (201), one match updates (200), several matches answer 300: safe to repeat after a lost response.
    public async Task<(string Id, bool Created)> UpsertAsync(string sobject, string field, string value, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Data}/sobjects/{sobject}/{field}/{Uri.EscapeDataString(value)}") { Content = VendorApiClient.Json(body) };
        request.MarkIdempotent();
        var response = await api.SendAsync(request, ct);
        var id = response.Json?["id"]?.ToString() ?? throw new InvalidDataException($"upsert of {sobject} answered without an id");
        return (id, response.Status == HttpStatusCode.Created);
    }

    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
    public async Task<string> CreateAsync(string sobject, JsonObject body, CancellationToken ct) =>
        (await api.SendAsync(HttpMethod.Post, $"{Data}/sobjects/{sobject}", body, cancellationToken: ct)).Json?["id"]?.ToString()
        ?? throw new InvalidDataException($"create of {sobject} answered without an id");

    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_get_field_values.htm
    public async Task<JsonObject> GetAsync(string sobject, string id, string fields, CancellationToken ct) =>
        (JsonObject)await api.GetAsync($"{Data}/sobjects/{sobject}/{Uri.EscapeDataString(id)}?fields={fields}", ct);

    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm (204 No Content)
    public async Task UpdateAsync(string sobject, string id, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Data}/sobjects/{sobject}/{Uri.EscapeDataString(id)}") { Content = VendorApiClient.Json(body) };
        request.MarkIdempotent(); // sets absolute field values: repeating it changes nothing
        await api.SendAsync(request, ct);
    }
}
