using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>
/// Applies persisted helpdesk webhook events to conversations, in arrival order: agent public replies
/// become agent messages (live to the widget through the feed), internal notes internal messages
/// (never shown to the customer), solved/closed closes the conversation and reopened reopens it. SLA timers
/// follow: an agent's public reply meets first and next response; pending (waiting on the customer) pauses
/// them and open resumes them.
/// </summary>
/// <remarks>
/// Applying twice is harmless: messages carry the event as provider message id (stored once) and
/// status changes look at the current mode first. A failing event is retried at each poll up to
/// <see cref="SqlWebhookEventStore.MaxAttempts"/> times, then left with its error.
/// </remarks>
internal sealed class WebhookEventDispatcher(
    SqlWebhookEventStore events, ConversationService conversations, SlaTimerScheduler sla,
    [FromKeyedServices(WebhookEventDispatcher.Signal)] HelpdeskSignal signal, IOptions<HelpdeskOptions> options, ILogger<WebhookEventDispatcher> logger)
    : BackgroundService
{
    public const string Signal = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var applied = 0;
            try
            {
                applied = await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Webhook dispatch pass failed; retrying at the next poll");
            }
            if (applied == 0) await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
        }
    }

    /// <summary>
    /// Conversations are applied side by side, each one's events in arrival order; a failed event stops
    /// its conversation's later events until the next pass, so order is never broken.
    /// </summary>
    async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var pending = await events.PendingAsync(200, cancellationToken);
        var done = new System.Collections.Concurrent.ConcurrentBag<WebhookEventRow>();
        await Task.WhenAll(pending.GroupBy(r => r.ConversationId).Select(async group =>
        {
            foreach (var row in group)
            {
                if (!await TryApplyAsync(row, cancellationToken)) return;
                done.Add(row);
            }
        }));
        await events.MarkProcessedAsync(done, cancellationToken);
        return done.Count;
    }

    async Task<bool> TryApplyAsync(WebhookEventRow row, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(row, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Webhook event {EventId} of connector {ConnectorId} could not be applied to conversation {ConversationId}",
                row.VendorEventId, row.ConnectorId, row.ConversationId);
            await events.FailAsync(row, e.Message, CancellationToken.None);
            return false;
        }
    }

    async Task ApplyAsync(WebhookEventRow row, CancellationToken cancellationToken)
    {
        var conversation = await conversations.Store.GetConversationAsync(row.ConversationId, cancellationToken)
            ?? throw new ConversationNotFoundException(row.ConversationId);
        switch (row.Kind)
        {
            case "agent_public_reply" when !string.IsNullOrWhiteSpace(row.Body):
                await conversations.PostAsync(row.ConversationId, MessageAuthor.Agent, row.Body, MessageVisibility.Public, AgentName(row), row.ProviderMessageId, cancellationToken);
                await sla.AgentRepliedAsync(row.ConversationId, cancellationToken);
                if (conversation.Mode == ConversationMode.Queued)
                    await conversations.ChangeAsync(row.ConversationId, new ConversationUpdate(Mode: ConversationMode.Human), ConversationEventKinds.StatusChanged,
                        new { from = "queued", to = "human", reason = "an agent replied", connector = row.ConnectorId, ticket = row.TicketExternalId }, cancellationToken: cancellationToken);
                break;
            case "internal_note" when !string.IsNullOrWhiteSpace(row.Body):
                await conversations.PostAsync(row.ConversationId, MessageAuthor.Agent, row.Body, MessageVisibility.Internal, AgentName(row), row.ProviderMessageId, cancellationToken);
                break;
            case "status_changed" when row.Status is "solved" or "closed" && conversation.Mode != ConversationMode.Closed:
                await conversations.ChangeAsync(row.ConversationId, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged,
                    new { from = conversation.Mode.ToText(), to = "closed", reason = $"ticket {row.Status}", connector = row.ConnectorId, ticket = row.TicketExternalId },
                    notice: "Our team has marked this conversation as resolved. Write again any time if you need more help.", cancellationToken: cancellationToken);
                break;
            case "status_changed" when row.Status is "open" or "pending" or "hold" or "on-hold":
                if (conversation.Mode == ConversationMode.Closed)
                    await conversations.ChangeAsync(row.ConversationId, new ConversationUpdate(Mode: ConversationMode.Human), ConversationEventKinds.StatusChanged,
                        new { from = "closed", to = "human", reason = $"ticket reopened ({row.Status})", connector = row.ConnectorId, ticket = row.TicketExternalId },
                        cancellationToken: cancellationToken);
                // Pending or on hold: the agent waits on the customer, so the SLA clocks pause until the customer writes or the ticket is open again.
                if (row.Status == "open") await sla.ResumeAsync(row.ConversationId, cancellationToken);
                else await sla.PauseAsync(row.ConversationId, cancellationToken);
                break;
        }
    }

    /// <summary>Only the agent's display name reaches the customer.</summary>
    static string AgentName(WebhookEventRow row) => string.IsNullOrWhiteSpace(row.AuthorName) ? "Support team" : row.AuthorName.Trim();
}
