using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Zendesk.Api;

/// <summary>Typed client for the Zendesk Support API v2 (https://developer.zendesk.com/api-reference/ticketing/).</summary>
internal sealed class ZendeskClient(VendorApiClient api)
{
    public VendorApiClient Api => api;

    /// <summary>Error bodies: <c>{"error","description","details":{field:[{description}]}}</c>; 429 may be plain text.</summary>
    public static string? ReadError(JsonNode? json, string text)
    {
        if (json is not JsonObject o) return null;
        var parts = new List<string>();
        if (o["description"]?.ToString() is { } d) parts.Add(d);
        else if (o["error"] is JsonValue e) parts.Add(e.ToString());
        else if (o["error"] is JsonObject eo) parts.Add($"{eo["title"]}: {eo["message"]}");
        if (o["details"] is JsonObject details)
            foreach (var (field, problems) in details)
                parts.Add($"{field}: {string.Join("; ", (problems as JsonArray ?? []).Select(p => p?["description"]?.ToString()))}");
        return string.Join(" - ", parts);
    }

    // https://developer.zendesk.com/api-reference/ticketing/users/users/#get-current-user
    public Task<JsonNode> MeAsync(CancellationToken ct) => api.GetAsync("api/v2/users/me", ct);

    // https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users
    public async Task<JsonArray> SearchUsersAsync(string query, CancellationToken ct) =>
        (await api.GetAsync($"api/v2/users/search?query={Uri.EscapeDataString(query)}", ct))["users"] as JsonArray ?? [];

    // https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user (upsert by email/external_id)
    public async Task<(JsonObject User, bool Created)> CreateOrUpdateUserAsync(JsonObject user, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/users/create_or_update") { Content = VendorApiClient.Json(new JsonObject { ["user"] = user }) };
        request.MarkIdempotent(); // an upsert: repeating it cannot create a second user
        var response = await api.SendAsync(request, ct);
        return ((JsonObject)response.Json!["user"]!, response.Status == HttpStatusCode.Created);
    }

    // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets (external_id filter; not unique)
    public async Task<JsonArray> TicketsByExternalIdAsync(string externalId, CancellationToken ct) =>
        (await api.GetAsync($"api/v2/tickets?external_id={Uri.EscapeDataString(externalId)}", ct))["tickets"] as JsonArray ?? [];

    // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket + Idempotency-Key
    public async Task<JsonObject> CreateTicketAsync(JsonObject ticket, string idempotencyKey, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Post, "api/v2/tickets", new JsonObject { ["ticket"] = ticket },
            r => r.Headers.Add("Idempotency-Key", idempotencyKey), ct);
        return (JsonObject)response.Json!["ticket"]!;
    }

    public async Task<JsonObject> GetTicketAsync(string id, CancellationToken ct) =>
        (JsonObject)(await api.GetAsync($"api/v2/tickets/{Uri.EscapeDataString(id)}", ct))["ticket"]!;

    // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket (comments are added by updating)
    public Task UpdateTicketAsync(string id, JsonObject ticket, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Put, $"api/v2/tickets/{Uri.EscapeDataString(id)}", new JsonObject { ["ticket"] = ticket }, cancellationToken: ct);

    // https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/#upload-files
    public async Task<string> UploadAsync(string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v2/uploads?filename={Uri.EscapeDataString(fileName)}")
        {
            Content = new ByteArrayContent(content.ToArray()),
        };
        request.Content.Headers.ContentType = new(contentType);
        var response = await api.SendAsync(request, ct);
        return response.Json?["upload"]?["token"]?.ToString() ?? throw new InvalidDataException("upload response without token");
    }
}
