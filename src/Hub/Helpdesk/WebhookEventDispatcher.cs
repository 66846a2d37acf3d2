using System.Collections.Concurrent;
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
/// status changes look at the current mode first (two nodes may both apply an event; one message results).
/// A failing event is retried at each poll up to
/// <see cref="SqlWebhookEventStore.MaxAttempts"/> times, then left with its error.
/// </remarks>
internal sealed class WebhookEventDispatcher(
    SqlWebhookEventStore events, ConversationService conversations, SlaTimerScheduler sla,
    [FromKeyedServices(WebhookEventDispatcher.Signal)] HelpdeskSignal signal, IOptions<HelpdeskOptions> options, ILogger<WebhookEventDispatcher> logger)
    : BackgroundService
{
    public const string Signal = "webhooks";
    const int Page = 200;

    /// <summary>Conversations whose events are being applied right now: one chain each, so their order holds.</summary>
    readonly ConcurrentDictionary<string, byte> busy = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                var pending = await events.PendingAsync(Page, stoppingToken);
                more = Start(pending, stoppingToken) > 0 && pending.Count == Page;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Webhook dispatch poll failed; retrying at the next poll");
            }
            if (!more) await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
        }
    }

    /// <summary>
    /// Starts a chain for each conversation with pending events that has none running. A chain does not wait for the
    /// others, so an agent's reply reaches the widget as soon as its own conversation is done, not when the slowest
    /// conversation of a batch is. Events of a conversation that is busy are read again when its chain ends.
    /// </summary>
    int Start(IReadOnlyList<WebhookEventRow> pending, CancellationToken cancellationToken)
    {
        var started = 0;
        foreach (var group in pending.GroupBy(r => r.ConversationId))
        {
            if (!busy.TryAdd(group.Key, 0)) continue;
            _ = ApplyInOrderAsync(group.Key, group.ToList(), cancellationToken);
            started++;
        }
        return started;
    }

    /// <summary>A failed event stops its conversation's later events until the next poll, so order is never broken.</summary>
    async Task ApplyInOrderAsync(string conversationId, List<WebhookEventRow> rows, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the poll loop goes on at once
        var done = new List<WebhookEventRow>(rows.Count);
        try
        {
            foreach (var row in rows)
            {
                if (!await TryApplyAsync(row, cancellationToken)) break;
                done.Add(row);
            }
            await events.MarkProcessedAsync(done, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Webhook events of conversation {ConversationId} could not be marked applied; they are applied again (harmlessly) at the next poll", conversationId);
        }
        catch (OperationCanceledException)
        {
            return; // shutting down: what was not marked is applied again (harmlessly) after the restart
        }
        finally
        {
            busy.TryRemove(conversationId, out _);
        }
        // All applied: events that came for this conversation meanwhile are waiting. After a failure, the next poll retries.
        if (done.Count == rows.Count) signal.Wake();
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
