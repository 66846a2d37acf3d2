using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Webhooks.Inbound;

/// <summary>
/// Every inbound helpdesk webhook passes here, in this order: the connector's verifier over the raw
/// body, the replay window, the connector's parser, ticket → conversation resolution, and one atomic
/// persist that de-duplicates by vendor event id. Only a persisted (or already known) delivery is
/// answered 2xx; applying the events is the host's asynchronous dispatcher's job.
/// </summary>
/// <remarks>Thread-safe and stateless; the body is never logged.</remarks>
public sealed class InboundWebhookPipeline(
    IConnectorRegistry registry, IWebhookEventStore store, TimeProvider time, IOptionsMonitor<InboundWebhookOptions> options, ILogger<InboundWebhookPipeline> logger)
{
    public async Task<InboundWebhookOutcome> ReceiveAsync(string connectorId, WebhookRequest request, CancellationToken cancellationToken = default)
    {
        if (registry.Find(connectorId) is not { } connector)
            return Refuse(404, connectorId, $"connector '{connectorId}' is not configured or not enabled");
        if (connector is not IWebhookReceiver receiver)
            return Refuse(404, connectorId, $"connector '{connectorId}' (type {connector.Manifest.Id}) does not receive webhooks");

        var verification = receiver.Verify(request);
        if (!verification.Valid)
            return Refuse(401, connectorId, $"webhook signature rejected: {verification.Reason}");
        var window = TimeSpan.FromSeconds(options.CurrentValue.ReplayWindowSeconds);
        if (verification.SignedAt is { } signedAt && (time.GetUtcNow() - signedAt).Duration() > window)
            return Refuse(400, connectorId, $"the delivery was signed at {signedAt:O}, outside the {window.TotalSeconds:0} s replay window");

        IReadOnlyList<WebhookEvent> events;
        try
        {
            events = await receiver.ParseAsync(request, cancellationToken);
        }
        catch (ConnectorException e)
        {
            return Refuse(400, connectorId, e.Detail);
        }
        if (events.Count == 0) return new InboundWebhookOutcome(200, null); // an event type the hub does not act on

        var resolved = new List<ResolvedWebhookEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (string.IsNullOrWhiteSpace(e.VendorEventId))
                return Refuse(400, connectorId, "the delivery has no event id, so redeliveries could not be recognised");
            // Resolve everything before storing anything: one unknown ticket refuses the whole delivery.
            var conversationId = string.IsNullOrWhiteSpace(e.TicketExternalId) ? null
                : await store.FindConversationAsync(connectorId, e.TicketExternalId, cancellationToken);
            if (conversationId is null)
                return Refuse(422, connectorId, $"ticket '{e.TicketExternalId}' of connector '{connectorId}' is not linked to any conversation");
            resolved.Add(new ResolvedWebhookEvent(e, i, conversationId));
        }
        var accepted = await store.SaveAsync(connectorId, resolved, cancellationToken);
        if (accepted < resolved.Count)
            logger.LogInformation("Webhook for connector {ConnectorId}: {Duplicates} redelivered event(s) ignored", connectorId, resolved.Count - accepted);
        return new InboundWebhookOutcome(200, null, accepted, resolved.Count - accepted);
    }

    InboundWebhookOutcome Refuse(int status, string connectorId, string reason)
    {
        logger.LogWarning("Webhook for connector {ConnectorId} refused ({Status}): {Reason}", connectorId, status, reason);
        return new InboundWebhookOutcome(status, reason);
    }
}
