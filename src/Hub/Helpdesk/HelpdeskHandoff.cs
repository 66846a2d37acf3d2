using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>
/// The handoff's helpdesk side: routes the packet, records the ticket to create in the outbox (the
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
    /// After the conversation moved to queued: persists the outbox row (once per conversation and
    /// connector; customer messages up to <paramref name="syncedSeq"/> travel in the packet) and posts the notice.
    /// </summary>
    public async Task StartAsync(Conversation conversation, HandoffPacket packet, HandoffRoute route, long syncedSeq, CancellationToken cancellationToken = default)
    {
        var routed = packet with { Queue = route.Queue, Priority = route.Priority };
        var added = await outbox.EnqueueAsync(conversation.Id, route.ConnectorId, conversation.WorkspaceId, route.Name, route.Queue,
            StoredJson.Write(routed), syncedSeq, cancellationToken);
        try
        {
            if (!added) return; // a repeated handoff: the customer was told the first time
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
