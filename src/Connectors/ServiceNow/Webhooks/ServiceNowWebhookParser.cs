using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.ServiceNow.Mapping;

namespace IntegrationHub.Connectors.ServiceNow.Webhooks;

/// <summary>
/// The Business Rule's callback (see README): <c>{"event_id","sys_id","number","correlation_id","element":"comments"|"work_notes"|"state","value","author","created_on"}</c>,
/// signed with the hub signature. Entries written by the integration user are echoes and skipped.
/// </summary>
internal static class ServiceNowWebhookParser
{
    public static IReadOnlyList<WebhookEvent> Parse(string connectorId, string integrationUser, ReadOnlyMemory<byte> body)
    {
        JsonObject e;
        try { e = JsonNode.Parse(body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException x) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed ServiceNow callback: {x.Message}"); }
        if (string.Equals(e["author"]?.ToString(), integrationUser, StringComparison.OrdinalIgnoreCase)) return [];
        var id = e["event_id"]?.ToString() ?? $"{e["sys_id"]}:{e["element"]}:{e["created_on"]}";
        var at = DateTimeOffset.TryParse(e["created_on"]?.ToString(), out var t) ? t : DateTimeOffset.UtcNow;
        var ticket = e["sys_id"]?.ToString() ?? "";
        var conversation = e["correlation_id"]?.ToString();
        return e["element"]?.ToString() switch
        {
            "comments" => [new(WebhookEventKind.AgentPublicReply, id, at, ticket, conversation, e["value"]?.ToString(), e["author"]?.ToString())],
            "work_notes" => [new(WebhookEventKind.InternalNote, id, at, ticket, conversation, e["value"]?.ToString(), e["author"]?.ToString())],
            "state" => [new(WebhookEventKind.StatusChanged, id, at, ticket, conversation, Status: ServiceNowMapping.HubStatus(e["value"]?.ToString() ?? ""))],
            _ => [],
        };
    }
}
