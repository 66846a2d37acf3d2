using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Webhooks.Inbound;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>
/// For helpdesks that cannot call the hub (Request Tracker 5 has no webhooks), reads the history of every
/// linked ticket of a connector implementing <see cref="ITicketHistorySource"/> and stores what it finds
/// in the webhook inbox, where <see cref="WebhookEventDispatcher"/> applies it exactly as a webhook: agent
/// replies reach the widget, internal notes stay internal, solving closes and reopening reopens.
/// </summary>
/// <remarks>
/// Persisted state is the truth: the per-ticket cursor moves only after the events read are stored, so a
/// crash re-reads them and the inbox (keyed by vendor event id) keeps one of each. A node reads a ticket
/// only under a lease (<see cref="SqlTicketHistoryStore"/>), so nodes share the work. A failed read keeps
/// the cursor and backs off (doubling, honouring Retry-After) for that ticket alone.
/// Closed conversations are read less often and only for <see cref="TicketHistoryOptions.ClosedForHours"/>:
/// agents do reopen resolved tickets (a follow-up, a wrong resolve), usually within days, and that must
/// reopen the conversation; reading every closed conversation's ticket for ever would grow the calls on
/// the helpdesk without bound, and after a few days a customer who needs more starts a new chat.
/// </remarks>
internal sealed class TicketHistoryPoller(
    SqlTicketHistoryStore cursors, SqlWebhookEventStore inbox, IConnectorRegistry registry,
    [FromKeyedServices(WebhookEventDispatcher.Signal)] HelpdeskSignal dispatcher, TimeProvider time,
    IOptions<TicketHistoryOptions> options, ILogger<TicketHistoryPoller> logger)
    : BackgroundService
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    /// <summary>Pages read from one ticket in one go; a ticket with more waiting continues at the next pass.</summary>
    const int MaxPagesPerRead = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<TicketHistoryRow> due = [];
            try
            {
                due = await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Ticket history pass failed; retrying at the next poll");
            }
            if (due.Count == 0)
                await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(options.Value.IntervalSeconds / 2, 0.05, 1)), time, stoppingToken);
        }
    }

    async Task<IReadOnlyList<TicketHistoryRow>> PassAsync(CancellationToken cancellationToken)
    {
        var sources = registry.All.Where(c => c is ITicketHistorySource).Select(c => c.Id).ToList();
        var o = options.Value;
        var due = await cursors.ClaimDueAsync(sources, time.GetUtcNow() - TimeSpan.FromHours(o.ClosedForHours), Lease, 50, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, o.Parallelism), CancellationToken = cancellationToken },
            async (row, ct) => await ReadAsync(row, ct));
        return due;
    }

    async Task ReadAsync(TicketHistoryRow row, CancellationToken cancellationToken)
    {
        // Lost from connectors.json since the claim: the lease runs out and nothing moves.
        if (registry.Find(row.ConnectorId) is not ITicketHistorySource source) return;
        var ticket = new TicketReference(row.ConnectorId, row.ExternalId);
        var stored = 0;
        try
        {
            for (var pages = 1; ; pages++)
            {
                var page = await source.ReadHistoryAsync(ticket, row.HistoryCursor, cancellationToken);
                // One save per event, in order: each gets its own arrival time, which is the order the
                // dispatcher applies them in (a reply before the resolve that follows it).
                foreach (var e in page.Events)
                    stored += await inbox.SaveAsync(row.ConnectorId, [new ResolvedWebhookEvent(e, 0, row.ConversationId)], cancellationToken);
                var more = page.More && pages < MaxPagesPerRead;
                var next = time.GetUtcNow() + (more ? Lease : Interval(row));
                if (!await cursors.AdvanceAsync(row, page.Cursor, next, cancellationToken))
                {
                    logger.LogInformation("Ticket history: {ConnectorId} ticket {TicketId} was taken over by another reader", row.ConnectorId, row.ExternalId);
                    break;
                }
                if (!more) break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var delay = Backoff(row.Failures + 1, (e as ConnectorException)?.RetryAfter);
            var reason = e is ConnectorException ? e.Message : e.GetType().Name + ": " + e.Message;
            logger.LogWarning("Ticket history: reading {ConnectorId} ticket {TicketId} failed (attempt {Attempt}), retrying in {Delay}: {Reason}",
                row.ConnectorId, row.ExternalId, row.Failures + 1, delay, reason);
            await cursors.FailAsync(row, reason, time.GetUtcNow() + delay, CancellationToken.None);
        }
        finally
        {
            if (stored > 0) dispatcher.Wake();
        }
    }

    TimeSpan Interval(TicketHistoryRow row) =>
        TimeSpan.FromSeconds(row.Mode == "closed" ? options.Value.ClosedIntervalSeconds : options.Value.IntervalSeconds);

    TimeSpan Backoff(long failures, TimeSpan? retryAfter)
    {
        var o = options.Value;
        var exponential = o.IntervalSeconds * Math.Pow(2, Math.Min(failures, 20));
        var seconds = Math.Min(o.RetryMaxSeconds, Math.Max(exponential, retryAfter?.TotalSeconds ?? 0));
        // Jitter: tickets that failed together in one outage do not all come back in the same instant.
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
