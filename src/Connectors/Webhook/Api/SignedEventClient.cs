using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.Webhook.Api;

/// <summary>
/// POSTs hub events as JSON to the configured URL, signed with <see cref="HubWebhookSignature"/> and
/// carrying an <c>Idempotency-Key</c> derived from the event (so retries are safe and receivers can dedupe).
/// </summary>
internal sealed class SignedEventClient(VendorApiClient api, Uri url, Func<string> secret, TimeProvider time)
{
    /// <summary>Receivers answer errors as <c>{"error":"..."}</c> or <c>{"message":"..."}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text) => json?["error"]?.ToString() ?? json?["message"]?.ToString();

    public async Task<JsonNode?> PostAsync(string type, JsonObject payload, string idempotencyKey, CancellationToken ct)
    {
        payload["type"] = type;
        payload["id"] ??= idempotencyKey;
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        foreach (var (name, value) in HubWebhookSignature.Headers(secret(), body, time.GetUtcNow())) request.Headers.Add(name, value);
        return (await api.SendAsync(request, ct)).Json;
    }

    public static string Key(params string[] parts) =>
        "ihub-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..32];
}
