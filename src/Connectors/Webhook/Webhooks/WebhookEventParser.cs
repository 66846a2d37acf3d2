using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Webhook.Webhooks;

/// <summary>
/// Inbound events from the in-house system, signed with <see cref="Support.HubWebhookSignature"/>:
/// <c>{"id","type":"agent.reply"|"agent.note"|"ticket.status","ticketId","conversationId","body","author","status","occurredAt"}</c>.
/// </summary>
internal static class WebhookEventParser
{
    public static IReadOnlyList<WebhookEvent> Parse(string connectorId, ReadOnlyMemory<byte> body)
    {
        JsonObject e;
        try { e = JsonNode.Parse(body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException x) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed webhook body: {x.Message}"); }
        var kind = e["type"]?.ToString() switch
        {
            "agent.reply" => WebhookEventKind.AgentPublicReply,
            "agent.note" => WebhookEventKind.InternalNote,
            "ticket.status" => WebhookEventKind.StatusChanged,
            _ => (WebhookEventKind?)null,
        };
        if (kind is null) return [];
        var id = e["id"]?.ToString() ?? throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, "webhook event without id");
        var at = DateTimeOffset.TryParse(e["occurredAt"]?.ToString(), out var t) ? t : DateTimeOffset.UtcNow;
        return [new WebhookEvent(kind.Value, id, at, e["ticketId"]?.ToString() ?? "", e["conversationId"]?.ToString(), e["body"]?.ToString(), e["author"]?.ToString(), e["status"]?.ToString())];
    }
}
