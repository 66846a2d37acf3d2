using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Salesforce.Mapping;

namespace IntegrationHub.Connectors.Salesforce.Webhooks;

/// <summary>
/// Salesforce has no signed webhook (Outbound Messages are SOAP, verified by IP allow-lists): the README's
/// Apex trigger calls the hub with
/// <c>{"event_id","object":"CaseComment"|"Case","case_id","chat_session_id","is_published","body","author","created_by_id","status","occurred_at"}</c>,
/// signed with the hub signature. Comments by the integration user are our own and are skipped.
/// </summary>
internal static class SalesforceWebhookParser
{
    public static IReadOnlyList<WebhookEvent> Parse(string connectorId, SalesforceOptions options, ReadOnlyMemory<byte> body)
    {
        JsonObject e;
        try { e = JsonNode.Parse(body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException x) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed Salesforce callout: {x.Message}"); }
        var caseId = e["case_id"]?.ToString();
        if (string.IsNullOrEmpty(caseId)) throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, "Salesforce callout without case_id");
        var id = e["event_id"]?.ToString() ?? $"{e["object"]}:{caseId}:{e["occurred_at"]}";
        var at = DateTimeOffset.TryParse(e["occurred_at"]?.ToString(), out var t) ? t : DateTimeOffset.UtcNow;
        var conversation = e["chat_session_id"]?.ToString();
        switch (e["object"]?.ToString())
        {
            case "CaseComment":
                if (options.IntegrationUserId is { Length: > 0 } self && string.Equals(e["created_by_id"]?.ToString(), self, StringComparison.Ordinal)) return [];
                var published = e["is_published"]?.GetValueKind() == JsonValueKind.True;
                return [new(published ? WebhookEventKind.AgentPublicReply : WebhookEventKind.InternalNote, id, at, caseId, conversation, e["body"]?.ToString(), e["author"]?.ToString())];
            case "Case" when e["status"]?.ToString() is { Length: > 0 } status:
                return [new(WebhookEventKind.StatusChanged, id, at, caseId, conversation, Status: SalesforceMapping.HubStatus(status, options))];
            default:
                return [];
        }
    }
}
