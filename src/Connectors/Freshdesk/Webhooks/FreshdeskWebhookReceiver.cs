using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Freshdesk.Mapping;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.Freshdesk.Webhooks;

/// <summary>
/// Freshdesk automation-rule webhooks are not signed: the rule sends a shared token in the
/// <c>X-Hub-Token</c> header (compared in constant time) and the JSON body documented in README.md.
/// </summary>
internal sealed class FreshdeskWebhookReceiver(string connectorId, Func<string> token)
{
    public WebhookVerification Verify(WebhookRequest request) =>
        request.Header("X-Hub-Token") is not { } sent ? WebhookVerification.Failure("missing X-Hub-Token header")
        : WebhookCrypto.EqualsConstantTime(token(), sent) ? WebhookVerification.Success() : WebhookVerification.Failure("X-Hub-Token mismatch");

    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        JsonObject e;
        try { e = JsonNode.Parse(request.Body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException x) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed Freshdesk webhook body: {x.Message}"); }
        var ticket = e["ticket_id"]?.ToString() ?? "";
        // No delivery id in Freshdesk: the rule sends one when configured, otherwise the body hash de-duplicates redeliveries.
        var id = e["event_id"]?.ToString() ?? Convert.ToHexStringLower(SHA256.HashData(request.Body.Span));
        var at = DateTimeOffset.TryParse(e["triggered_at"]?.ToString(), out var t) ? t : DateTimeOffset.UtcNow;
        return e["event"]?.ToString() switch
        {
            "reply_sent" => [new(WebhookEventKind.AgentPublicReply, id, at, ticket, null, e["body"]?.ToString(), e["agent_name"]?.ToString())],
            "note_added" when e["incoming"]?.GetValueKind() != JsonValueKind.True =>
                [new(e["private"]?.GetValueKind() == JsonValueKind.False ? WebhookEventKind.AgentPublicReply : WebhookEventKind.InternalNote, id, at, ticket, null, e["body"]?.ToString(), e["agent_name"]?.ToString())],
            "status_changed" => [new(WebhookEventKind.StatusChanged, id, at, ticket, Status: int.TryParse(e["status"]?.ToString(), out var code) ? FreshdeskMapping.HubStatus(code) : e["status"]?.ToString()?.ToLowerInvariant())],
            _ => [],
        };
    }
}
