using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.OutboundWebhooks;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// What follows a warning or a breach. A warning is published as the <c>sla.warning</c> hub event. A breach runs the
/// policy's breach actions: <c>raise-priority</c> (one step up) and <c>internal-note</c> on the conversation's linked
/// tickets, <c>webhook</c> (the <c>sla.breach</c> hub event to outbound subscriptions). A failing connector is logged,
/// never retried into a second note: the breach is already recorded. Called by <see cref="SlaActionRunner"/>, which
/// holds the claim on them.
/// </summary>
internal sealed class SlaBreachActions(
    SqlSlaStore slas, IConversationStore store, IConnectorRegistry connectors, IHubEventSink events, TimeProvider time, ILogger<SlaBreachActions> logger)
{
    public const string RaisePriority = "raise-priority";
    public const string InternalNote = "internal-note";
    public const string Webhook = "webhook";
    public static readonly IReadOnlyList<string> All = [RaisePriority, InternalNote, Webhook];

    static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    /// <summary>Called once per warning in the normal case; again only if a crash came before it was marked done.</summary>
    public async Task WarnAsync(string conversationId, string kind, long businessSecondsUsed, CancellationToken cancellationToken = default)
    {
        var timer = await slas.GetTimerAsync(conversationId, kind, cancellationToken);
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken);
        if (timer is null || conversation is null) return;
        await events.PublishAsync(HubEventNames.SlaWarning, conversationId, new
        {
            kind, policy = timer.PolicyId, targetMinutes = timer.TargetSeconds / 60, warningPercent = timer.WarningPercent,
            businessSecondsUsed, warnedAt = timer.WarnedAt, dueAt = timer.DueAt, conversation.Queue, conversation.Priority,
        }, cancellationToken);
    }

    /// <summary>Called once per breach in the normal case; again (a second note, a second event) only if a crash came before it was marked done.</summary>
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
                if (policy.BreachActions.Contains(RaisePriority))
                    await sink.UpdateTicketAsync(ticket, new TicketUpdate(Priority: raised), cancellationToken);
                if (policy.BreachActions.Contains(InternalNote))
                    await sink.AppendMessagesAsync(ticket,
                        [new TranscriptMessage(0, "system", "internal", $"SLA breached: {kind.Replace('_', ' ')} target of {timer.TargetSeconds / 60} business minutes (policy {policy.Id}).", time.GetUtcNow())],
                        cancellationToken);
            }
            catch (ConnectorException e)
            {
                logger.LogWarning(e, "SLA breach actions for {ConversationId} on {ConnectorId} failed", conversationId, ticket.ConnectorId);
            }
        }
        if (policy.BreachActions.Contains(RaisePriority))
            await store.UpdateConversationAsync(conversationId, new ConversationUpdate(Priority: raised), SlaEventKinds.Breached + ".priority_raised", new { kind, priority = raised }, cancellationToken);
        if (policy.BreachActions.Contains(Webhook))
            await events.PublishAsync(HubEventNames.SlaBreach, conversationId, new
            {
                kind, policy = policy.Id, targetMinutes = timer.TargetSeconds / 60, businessSecondsUsed = timer.ConsumedSeconds, breachedAt = timer.BreachedAt,
                conversation.Queue, priority = policy.BreachActions.Contains(RaisePriority) ? raised : conversation.Priority, actions = policy.BreachActions,
            }, cancellationToken);
    }
}
