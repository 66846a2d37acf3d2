namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// Reads a ticket's activity incrementally, for helpdesks that cannot call the hub (no outbound
/// webhook that reaches it): the hub polls instead and applies the events exactly as webhook events.
/// </summary>
/// <remarks>
/// Thread-safe. The cursor is opaque to the hub, which stores it durably per ticket and passes it back
/// unchanged. Reading again from an older cursor must return the same events with the same
/// <see cref="WebhookEvent.VendorEventId"/>s, so a repeated read is de-duplicated, never applied twice.
/// Activity the hub itself wrote to the ticket (the customer's messages it appended) is left out.
/// Vendor failures are <see cref="ConnectorException"/>s; the hub keeps its cursor and retries later.
/// </remarks>
public interface ITicketHistorySource
{
    /// <summary>
    /// The ticket's events after <paramref name="cursor"/> (null: from the beginning), oldest first,
    /// at most one bounded batch per call.
    /// </summary>
    Task<TicketHistoryPage> ReadHistoryAsync(TicketReference ticket, string? cursor, CancellationToken cancellationToken = default);
}
