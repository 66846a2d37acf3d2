using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Support;
using IntegrationHub.Connectors.Zendesk.Mapping;

namespace IntegrationHub.Connectors.Zendesk.Webhooks;

/// <summary>
/// Zendesk event-subscription webhooks (https://developer.zendesk.com/documentation/webhooks/verifying/):
/// <c>X-Zendesk-Webhook-Signature</c> = base64(HMAC-SHA256(signing secret, timestamp + raw body)).
/// Comments authored by the requester (the hub's own customer messages) or by the API user (the hub's own notes)
/// are skipped to avoid echoes.
/// </summary>
internal sealed class ZendeskWebhookReceiver(string connectorId, Func<string> signingSecret)
{
    public WebhookVerification Verify(WebhookRequest request)
    {
        var signature = request.Header("X-Zendesk-Webhook-Signature");
        var timestamp = request.Header("X-Zendesk-Webhook-Signature-Timestamp");
        if (signature is null || timestamp is null) return WebhookVerification.Failure("missing X-Zendesk-Webhook-Signature or -Timestamp header");
        var expected = Convert.ToBase64String(WebhookCrypto.HmacSha256(signingSecret(), WebhookCrypto.Concat(timestamp, request.Body.Span)));
        if (!WebhookCrypto.EqualsConstantTime(expected, signature)) return WebhookVerification.Failure("signature mismatch");
        return WebhookVerification.Success(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null);
    }

    /// <param name="selfId">The connector's API user, when known.</param>
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request, string? selfId = null)
    {
        JsonObject envelope;
        try { envelope = JsonNode.Parse(request.Body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed Zendesk webhook body: {e.Message}"); }
        var type = envelope["type"]?.ToString();
        var id = envelope["id"]?.ToString() ?? "";
        var time = DateTimeOffset.TryParse(envelope["time"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UtcNow;
        var detail = envelope["detail"] as JsonObject ?? [];
        var ticketId = detail["id"]?.ToString() ?? envelope["subject"]?.ToString()?.Split(':').LastOrDefault() ?? "";
        var conversation = detail["external_id"]?.ToString();
        switch (type)
        {
            case "zen:event-type:ticket.comment_added":
                var comment = envelope["event"]?["comment"] as JsonObject ?? [];
                var author = comment["author"] as JsonObject ?? [];
                if (author["id"]?.ToString() is { } authorId && (authorId == detail["requester_id"]?.ToString() || authorId == selfId)) return [];
                var isPublic = comment["is_public"]?.GetValueKind() == JsonValueKind.True;
                return [new WebhookEvent(isPublic ? WebhookEventKind.AgentPublicReply : WebhookEventKind.InternalNote, id, time, ticketId, conversation,
                    comment["body"]?.ToString(), author["name"]?.ToString())];
            case "zen:event-type:ticket.status_changed":
                var current = envelope["event"]?["current"]?.ToString() ?? detail["status"]?.ToString() ?? "";
                return [new WebhookEvent(WebhookEventKind.StatusChanged, id, time, ticketId, conversation, Status: ZendeskMapping.HubStatus(current.ToLowerInvariant()))];
            default:
                return [];
        }
    }
}
