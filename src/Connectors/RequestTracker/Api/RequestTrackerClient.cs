using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.RequestTracker.Api;

/// <summary>Typed client for RT 5 REST2 (https://docs.bestpractical.com/rt/5.0.8/RT/REST2.html).</summary>
internal sealed class RequestTrackerClient(VendorApiClient api)
{
    /// <summary>RT errors are <c>{"message":"..."}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text) => json?["message"]?.ToString() ?? (json as JsonArray)?.FirstOrDefault()?.ToString();

    public Task<JsonNode> SystemAsync(CancellationToken ct) => api.GetAsync("REST/2.0/rt", ct);

    /// <summary>JSON search: <c>POST /users</c> with <c>[{"field","value"}]</c>.</summary>
    public async Task<JsonArray> SearchUsersAsync(string field, string value, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "REST/2.0/users")
        {
            Content = VendorApiClient.Json(new JsonArray(new JsonObject { ["field"] = field, ["value"] = value })),
        };
        request.MarkIdempotent(); // a search
        return (await api.SendAsync(request, ct)).Json?["items"] as JsonArray ?? [];
    }

    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => api.GetAsync($"REST/2.0/{path}", ct);

    public async Task<JsonObject> CreateAsync(string type, JsonObject body, CancellationToken ct) =>
        (JsonObject)(await api.SendAsync(HttpMethod.Post, $"REST/2.0/{type}", body, cancellationToken: ct)).Json!;

    /// <summary>TicketSQL search.</summary>
    public async Task<JsonArray> SearchTicketsAsync(string ticketSql, CancellationToken ct) =>
        (await api.GetAsync($"REST/2.0/tickets?query={Uri.EscapeDataString(ticketSql)}&per_page=10", ct))["items"] as JsonArray ?? [];

    /// <summary><c>correspond</c> (reply, visible to requestors) or <c>comment</c> (internal).</summary>
    public Task AddTransactionAsync(string ticketId, string kind, JsonObject body, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"REST/2.0/ticket/{Uri.EscapeDataString(ticketId)}/{kind}", body, cancellationToken: ct);

    public Task UpdateTicketAsync(string ticketId, JsonObject changes, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Put, $"REST/2.0/ticket/{Uri.EscapeDataString(ticketId)}", changes, cancellationToken: ct);

    /// <summary>
    /// A ticket's transactions after <paramref name="afterId"/>, oldest first, one page: TransactionSQL over
    /// <c>GET /transactions</c> (the <c>/ticket/{id}/history</c> collection takes no query, so reading it
    /// incrementally would mean paging through the whole history at every poll). The creator is expanded
    /// to its name and real name in the same call.
    /// </summary>
    public Task<JsonNode> TicketTransactionsAsync(long ticketId, long afterId, IReadOnlyList<string> types, int perPage, CancellationToken ct)
    {
        var typeSql = string.Join(" OR ", types.Select(t => $"Type = '{t}'"));
        var sql = $"ObjectType = 'RT::Ticket' AND ObjectId = {ticketId} AND id > {afterId} AND ({typeSql})";
        return api.GetAsync($"REST/2.0/transactions?query={Uri.EscapeDataString(sql)}&orderby=id&order=ASC&per_page={perPage}" +
            $"&fields=Type,Creator,Created,NewValue&{Uri.EscapeDataString("fields[Creator]")}=Name,RealName", ct);
    }

    /// <summary>
    /// The MIME parts of a transaction with their decoded content and headers (RT 5.0.3 answers 500 when the
    /// collection is asked for <c>ContentType</c>, so the type is read from <c>Headers</c>).
    /// </summary>
    public async Task<JsonArray> TransactionPartsAsync(long transactionId, CancellationToken ct) =>
        (await api.GetAsync($"REST/2.0/transaction/{transactionId}/attachments?fields=Content,Headers&per_page=100", ct))["items"] as JsonArray ?? [];
}
