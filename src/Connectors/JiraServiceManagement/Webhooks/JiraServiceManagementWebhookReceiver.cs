using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.JiraServiceManagement.Mapping;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.JiraServiceManagement.Webhooks;

/// <summary>
/// Jira admin webhooks saved with a secret (https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks):
/// <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256(secret, raw body)&gt;</c>. <c>comment_created</c> becomes an agent
/// reply (<c>jsdPublic: true</c>) or an internal note; <c>jira:issue_updated</c> with a status change becomes
/// StatusChanged. Comments by the integration account (our own messages) or by customers are skipped.
/// </summary>
internal sealed class JiraServiceManagementWebhookReceiver(string connectorId, Func<string> secret, JiraServiceManagementOptions options)
{
    public const string SignatureHeader = "X-Hub-Signature";

    public WebhookVerification Verify(WebhookRequest request)
    {
        if (request.Header(SignatureHeader) is not { } signature) return WebhookVerification.Failure($"missing {SignatureHeader} header");
        var expected = "sha256=" + WebhookCrypto.Hex(WebhookCrypto.HmacSha256(secret(), request.Body.Span));
        // Jira signs no timestamp: the pipeline's de-duplication (X-Atlassian-Webhook-Identifier) guards replays.
        return WebhookCrypto.EqualsConstantTime(expected, signature.Trim()) ? WebhookVerification.Success() : WebhookVerification.Failure("signature mismatch");
    }

    /// <param name="integrationAccountId">The connector's own account (from <c>/rest/api/3/myself</c>): its comments are echoes.</param>
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request, string? integrationAccountId)
    {
        JsonObject e;
        try { e = JsonNode.Parse(request.Body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException x) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed Jira webhook body: {x.Message}"); }
        var type = e["webhookEvent"]?.ToString();
        var issue = e["issue"] as JsonObject ?? [];
        var issueId = issue["id"]?.ToString() ?? "";
        var conversation = issue["fields"]?[options.ConversationFieldId]?.ToString();
        var at = e["timestamp"] is JsonValue ts && ts.TryGetValue<long>(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow;
        // The delivery id is stable across Jira's retries.
        var deliveryId = request.Header("X-Atlassian-Webhook-Identifier");
        switch (type)
        {
            case "comment_created":
                var comment = e["comment"] as JsonObject ?? [];
                var author = comment["author"] as JsonObject ?? [];
                if (author["accountId"]?.ToString() is { } accountId && accountId == integrationAccountId) return [];
                if (author["accountType"]?.ToString() == "customer") return [];
                var isPublic = comment["jsdPublic"]?.GetValueKind() != JsonValueKind.False;
                if (DateTimeOffset.TryParse(comment["created"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var created)) at = created;
                return [new WebhookEvent(isPublic ? WebhookEventKind.AgentPublicReply : WebhookEventKind.InternalNote,
                    deliveryId ?? $"comment:{comment["id"]}", at, issueId, conversation,
                    JiraServiceManagementMapping.PlainText(comment["body"]), author["displayName"]?.ToString())];
            case "jira:issue_updated":
                var change = (e["changelog"]?["items"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(i => i["field"]?.ToString() == "status");
                if (change is null) return [];
                var category = issue["fields"]?["status"]?["statusCategory"]?["key"]?.ToString();
                var status = JiraServiceManagementMapping.HubStatus(change["toString"]?.ToString() ?? "", category, options);
                return [new WebhookEvent(WebhookEventKind.StatusChanged, deliveryId ?? $"status:{issueId}:{e["changelog"]?["id"]}", at, issueId, conversation, Status: status)];
            default:
                return [];
        }
    }
}
