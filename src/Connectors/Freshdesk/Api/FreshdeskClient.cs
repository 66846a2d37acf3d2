using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Freshdesk.Api;

/// <summary>Typed client for Freshdesk API v2 (https://developers.freshdesk.com/api/).</summary>
internal sealed class FreshdeskClient(VendorApiClient api)
{
    /// <summary><c>{"description","errors":[{"field","message","code"}]}</c> or <c>{"code","message"}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text)
    {
        if (json is not JsonObject o) return null;
        var parts = new List<string>();
        if (o["description"]?.ToString() is { } d) parts.Add(d);
        if (o["message"]?.ToString() is { } m) parts.Add(m);
        foreach (var e in o["errors"] as JsonArray ?? []) parts.Add($"{e?["field"]}: {e?["message"]} ({e?["code"]})");
        return string.Join(" - ", parts);
    }

    public Task<JsonNode> MeAsync(CancellationToken ct) => api.GetAsync("api/v2/agents/me", ct);

    // https://developers.freshdesk.com/api/#list_all_contacts (filters email, phone, mobile)
    public async Task<JsonArray> ContactsAsync(string filter, string value, CancellationToken ct) =>
        await api.GetAsync($"api/v2/contacts?{filter}={Uri.EscapeDataString(value)}", ct) as JsonArray ?? [];

    /// <summary>Creates a contact; a 409 duplicate returns null (someone else created it first).</summary>
    public async Task<JsonObject?> CreateContactAsync(JsonObject contact, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Post, "api/v2/contacts", contact, cancellationToken: ct, accept: HttpStatusCode.Conflict);
        return response.Status == HttpStatusCode.Conflict ? null : (JsonObject)response.Json!;
    }

    // https://developers.freshdesk.com/api/#filter_tickets (custom field query)
    public async Task<JsonArray> SearchTicketsAsync(string query, CancellationToken ct) =>
        (await api.GetAsync($"api/v2/search/tickets?query={Uri.EscapeDataString($"\"{query}\"")}", ct))["results"] as JsonArray ?? [];

    public async Task<JsonObject> CreateTicketAsync(JsonObject ticket, CancellationToken ct) =>
        (JsonObject)(await api.SendAsync(HttpMethod.Post, "api/v2/tickets", ticket, cancellationToken: ct)).Json!;

    public Task UpdateTicketAsync(string id, JsonObject changes, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Put, $"api/v2/tickets/{Uri.EscapeDataString(id)}", changes, cancellationToken: ct);

    public async Task<JsonObject> GetTicketAsync(string id, CancellationToken ct) => (JsonObject)await api.GetAsync($"api/v2/tickets/{Uri.EscapeDataString(id)}", ct);

    // https://developers.freshdesk.com/api/#add_note_to_a_ticket
    public Task AddNoteAsync(string id, JsonObject note, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/v2/tickets/{Uri.EscapeDataString(id)}/notes", note, cancellationToken: ct);

    /// <summary>A private note with the file under <c>attachments[]</c> (multipart/form-data).</summary>
    public async Task AddNoteWithFileAsync(string id, string body, string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(body), "body" },
            { new StringContent("true"), "private" },
        };
        var file = new ByteArrayContent(content.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "attachments[]", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v2/tickets/{Uri.EscapeDataString(id)}/notes") { Content = form };
        await api.SendAsync(request, ct);
    }
}
