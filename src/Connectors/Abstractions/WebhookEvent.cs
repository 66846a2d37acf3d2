namespace IntegrationHub.Connectors.Abstractions;

/// <summary>A vendor webhook turned into a hub event.</summary>
/// <param name="VendorEventId">The vendor's delivery/event id, stable across redeliveries: the pipeline's de-duplication key.</param>
/// <param name="TicketExternalId">The ticket/case id in the vendor system (matches <see cref="TicketReference.ExternalId"/>).</param>
/// <param name="ConversationId">The hub conversation id when the vendor echoes it (external id fields).</param>
/// <param name="Status">For <see cref="WebhookEventKind.StatusChanged"/>: hub status (<c>open</c>, <c>pending</c>, <c>solved</c>, <c>closed</c>).</param>
public sealed record WebhookEvent(
    WebhookEventKind Kind,
    string VendorEventId,
    DateTimeOffset OccurredAt,
    string TicketExternalId,
    string? ConversationId = null,
    string? Body = null,
    string? AuthorName = null,
    string? Status = null);
