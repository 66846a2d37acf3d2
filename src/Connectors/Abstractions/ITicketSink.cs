namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Creates and maintains the ticket/case that carries a conversation in a helpdesk or CRM.</summary>
/// <remarks>
/// Every method may be called again after a crash or timeout: <see cref="CreateTicketAsync"/> returns
/// the existing ticket for a conversation instead of creating a second one (vendor idempotency key,
/// upsert by external id, or a lookup before create). Bodies are already redacted by the hub.
/// Failures are <see cref="ConnectorException"/>s.
/// </remarks>
public interface ITicketSink
{
    /// <summary>
    /// Creates the ticket for <see cref="HandoffPacket.ConversationId"/> (or returns the one that exists),
    /// with a readable transcript body and the structured fields, requested by <paramref name="requester"/>.
    /// </summary>
    Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends messages in <see cref="TranscriptMessage.Sequence"/> order: <c>public</c> ones as public
    /// comments/replies, <c>internal</c> ones as internal notes.
    /// </summary>
    Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Sets status and/or priority (hub values; null leaves a field unchanged).</summary>
    Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Attaches the transcript as a file where the vendor supports attachments, otherwise as an
    /// internal note. Returns false when only the note was possible.
    /// </summary>
    Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default);
}
