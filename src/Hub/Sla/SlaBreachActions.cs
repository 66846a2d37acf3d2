using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// The policy's breach actions on the conversation's linked tickets: <c>raise-priority</c> (one step up) and
/// <c>internal-note</c>. A failing connector is logged, never retried into a second note: the breach is already recorded.
/// </summary>
internal sealed class SlaBreachActions(SqlSlaStore slas, IConversationStore store, IConnectorRegistry connectors, TimeProvider time, ILogger<SlaBreachActions> logger)
{
    static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    public async Task RunAsync(string conversationId, string kind, CancellationToken cancellationToken = default)
    {
        var timer = await slas.GetTimerAsync(conversationId, kind, cancellationToken);
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken);
        if (timer is null || conversation is null) return;
        var policy = (await slas.ListPoliciesAsync(timer.WorkspaceId, cancellationToken)).FirstOrDefault(p => p.Id == timer.PolicyId);
        if (policy is null || policy.BreachActions.Count == 0) return;
        var raised = Priorities[Math.Min(Priorities.Length - 1, Math.Max(0, Array.IndexOf(Priorities, conversation.Priority)) + 1)];
        foreach (var ticket in conversation.Tickets)
        {
            if (connectors.Find(ticket.ConnectorId) is not ITicketSink sink) continue;
            try
            {
                if (policy.BreachActions.Contains("raise-priority"))
                    await sink.UpdateTicketAsync(ticket, new TicketUpdate(Priority: raised), cancellationToken);
                if (policy.BreachActions.Contains("internal-note"))
                    await sink.AppendMessagesAsync(ticket,
                        [new TranscriptMessage(0, "system", "internal", $"SLA breached: {kind.Replace('_', ' ')} target of {timer.TargetSeconds / 60} business minutes (policy {policy.Id}).", time.GetUtcNow())],
                        cancellationToken);
            }
            catch (ConnectorException e)
            {
                logger.LogWarning(e, "SLA breach actions for {ConversationId} on {ConnectorId} failed", conversationId, ticket.ConnectorId);
            }
        }
        if (policy.BreachActions.Contains("raise-priority"))
            await store.UpdateConversationAsync(conversationId, new ConversationUpdate(Priority: raised), SlaEventKinds.Breached + ".priority_raised", new { kind, priority = raised }, cancellationToken);
    }
}
