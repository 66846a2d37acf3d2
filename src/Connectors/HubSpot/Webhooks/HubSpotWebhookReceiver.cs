using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.HubSpot.Api;
using IntegrationHub.Connectors.HubSpot.Mapping;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.HubSpot.Webhooks;

/// <summary>
/// HubSpot app webhooks, signature v3 (https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests):
/// base64(HMAC-SHA256(client secret, method + URI + raw body + timestamp ms)). Events carry ids only, so
/// conversation messages are fetched (text, MESSAGE vs COMMENT, the thread's ticket).
/// </summary>
internal sealed class HubSpotWebhookReceiver(string connectorId, Func<string> clientSecret, HubSpotClient client, HubSpotOptions options)
{
    public WebhookVerification Verify(WebhookRequest request)
    {
        var signature = request.Header("X-HubSpot-Signature-v3");
        var timestamp = request.Header("X-HubSpot-Request-Timestamp");
        if (signature is null || timestamp is null) return WebhookVerification.Failure("missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return WebhookVerification.Failure("bad X-HubSpot-Request-Timestamp");
        var message = WebhookCrypto.Concat(request.Method + request.Url.AbsoluteUri, request.Body.Span, timestamp);
        var expected = Convert.ToBase64String(WebhookCrypto.HmacSha256(clientSecret(), message));
        return WebhookCrypto.EqualsConstantTime(expected, signature)
            ? WebhookVerification.Success(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : WebhookVerification.Failure("signature mismatch");
    }

    public async Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken ct)
    {
        JsonArray events;
        try { events = JsonNode.Parse(request.Body.Span) as JsonArray ?? throw new JsonException("expected a JSON array of events"); }
        catch (JsonException e) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed HubSpot webhook body: {e.Message}"); }
        var result = new List<WebhookEvent>();
        foreach (var e in events.OfType<JsonObject>())
        {
            var id = e["eventId"]?.ToString() ?? "";
            var at = e["occurredAt"] is JsonValue v && v.TryGetValue<long>(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow;
            var objectId = e["objectId"]?.ToString() ?? "";
            switch (e["subscriptionType"]?.ToString())
            {
                case "ticket.propertyChange" when e["propertyName"]?.ToString() == "hs_pipeline_stage":
                    result.Add(new(WebhookEventKind.StatusChanged, id, at, objectId, Status: HubSpotMapping.HubStatus(e["propertyValue"]?.ToString() ?? "", options.Stages)));
                    break;
                case "conversation.newMessage" when e["messageId"]?.ToString() is { } messageId:
                    var message = await client.GetAsync($"conversations/v3/conversations/threads/{objectId}/messages/{messageId}", ct);
                    var thread = await client.GetAsync($"conversations/v3/conversations/threads/{objectId}", ct);
                    if (message["direction"]?.ToString() == "INCOMING") break; // the customer's own message
                    var kind = message["type"]?.ToString() == "COMMENT" ? WebhookEventKind.InternalNote : WebhookEventKind.AgentPublicReply;
                    result.Add(new(kind, id, at, thread["associatedTicketId"]?.ToString() ?? objectId, null, message["text"]?.ToString(),
                        (message["senders"] as JsonArray)?.FirstOrDefault()?["name"]?.ToString()));
                    break;
            }
        }
        return result;
    }
}
