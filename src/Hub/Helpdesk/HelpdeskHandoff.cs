using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>
/// The handoff's helpdesk side: routes the packet, books the ticket to create in the outbox with the queuing (the
/// vendor is called by <see cref="TicketSyncWorker"/>, so an outage never blocks or loses the handoff),
/// and tells the customer who takes over, why and how long it may take.
/// </summary>
internal sealed class HelpdeskHandoff(
    HandoffRouter router, SqlTicketSyncStore outbox, ConversationService conversations,
    [FromKeyedServices(HelpdeskHandoff.TicketsSignal)] HelpdeskSignal signal)
{
    public const string TicketsSignal = "tickets";
    const int EstimateSamples = 20;

    /// <summary>The route for this handoff, or null when no ticketing connector is enabled.</summary>
    public HandoffRoute? Route(HandoffPacket packet) => router.Route(packet);

    /// <summary>
    /// The ticket to book with the queuing (<see cref="ConversationUpdate.Ticket"/>): the packet routed, carrying the
    /// conversation up to <paramref name="syncedSeq"/>. Null when an earlier handoff already booked this connector's ticket.
    /// </summary>
    public async Task<TicketBooking?> BookAsync(string conversationId, HandoffPacket packet, HandoffRoute route, long syncedSeq, CancellationToken cancellationToken = default)
    {
        if (await outbox.ExistsAsync(conversationId, route.ConnectorId, cancellationToken)) return null;
        var routed = packet with { Queue = route.Queue, Priority = route.Priority };
        return new TicketBooking(route.ConnectorId, route.Name, route.Queue, StoredJson.Write(routed), syncedSeq);
    }

    /// <summary>After the queuing committed: tells the customer who takes over (on the first handoff only) and wakes the ticket worker.</summary>
    public async Task AnnounceAsync(Conversation conversation, HandoffPacket packet, HandoffRoute route, bool booked, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!booked) return; // a repeated handoff: the customer was told the first time
            var recent = await outbox.RecentFirstReplyTimesAsync(route.Queue, EstimateSamples, cancellationToken);
            await conversations.PostAsync(conversation.Id, MessageAuthor.System, HandoffNotice.Compose(packet.Reason, route, recent), cancellationToken: cancellationToken);
        }
        finally
        {
            // After the notice, so the customer reads "a person is coming" before any news about the ticket.
            signal.Wake();
        }
    }

    /// <summary>The customer left contact details: a ticket that waited for them is tried now, not at its next back-off.</summary>
    public async Task ContactCapturedAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        if (await outbox.RetryNowAsync(conversationId, cancellationToken)) signal.Wake();
    }

    /// <summary>A customer message was stored and its commit marked the conversation's tickets as owing it: carry it now.</summary>
    public void TicketSyncDue() => signal.Wake();
}
