namespace IntegrationHub.Webhooks.Inbound;

/// <summary>Where the inbound pipeline finds conversations by ticket and persists accepted events (the host's database).</summary>
/// <remarks>Thread-safe. <see cref="SaveAsync"/> is atomic: all events of a delivery are stored, or none.</remarks>
public interface IWebhookEventStore
{
    /// <summary>The conversation linked to a connector's ticket, or null when the ticket is unknown.</summary>
    Task<string?> FindConversationAsync(string connectorId, string ticketExternalId, CancellationToken cancellationToken = default);

    /// <summary>Stores the events not seen before (key: connector, vendor event id, ordinal); returns how many were new.</summary>
    Task<int> SaveAsync(string connectorId, IReadOnlyList<ResolvedWebhookEvent> events, CancellationToken cancellationToken = default);
}
