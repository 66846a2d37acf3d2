using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// Runs the side effects a timer owes for its warning or breach (<see cref="SlaBreachActions"/>) and marks them done.
/// The timer row says they are owed from the commit that recorded the warning or breach, so a process killed before
/// they ran loses nothing: the next look at the timer (Quartz's recovery firing, a stale trigger, another node's
/// firing) or the sweep (<see cref="SlaActionSweep"/>) takes them over once the dead holder's lease has ended.
/// </summary>
/// <remarks>
/// At least once: a crash after some side effects ran and before they were marked done runs them all again, so a
/// breach may add a second internal note or send <c>sla.breach</c> twice. In the normal case they run once: only the
/// lease holder runs them. A failure other than a connector's (which <see cref="SlaBreachActions"/> logs and drops)
/// leaves them owed, and they are tried again after the lease.
/// </remarks>
internal sealed class SlaActionRunner(SqlSlaStore slas, SlaBreachActions actions, IOptions<SlaOptions> options, ILogger<SlaActionRunner> logger)
{
    TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, options.Value.ActionLeaseSeconds));

    /// <summary>
    /// Runs <paramref name="claimed"/> (side effects this firing recorded) and, when the firing found earlier ones owed,
    /// whatever of those is due. Nothing owed before (the usual case) costs no further read.
    /// </summary>
    public async Task RunOwedAsync(string conversationId, string kind, IReadOnlyList<SlaActionClaim>? claimed, bool earlierOwed, CancellationToken cancellationToken = default)
    {
        var claims = new List<SlaActionClaim>(claimed ?? []);
        if (earlierOwed) claims.AddRange(await slas.ClaimOwedAsync(conversationId, kind, Lease, cancellationToken));
        // The warning's before the breach's, as they happened.
        foreach (var claim in claims.OrderBy(c => c.Action)) await RunAsync(claim, cancellationToken);
    }

    /// <summary>Takes over due side effects on any timer, up to <paramref name="limit"/>; returns how many it took.</summary>
    public async Task<int> SweepAsync(int limit, CancellationToken cancellationToken = default)
    {
        var claims = await slas.ClaimDueAsync(Lease, limit, cancellationToken);
        foreach (var claim in claims.OrderBy(c => c.Action))
        {
            logger.LogInformation("SLA: finishing the {Action} side effects of {ConversationId} {Kind}, left owed (a node died or failed)",
                claim.Action, claim.ConversationId, claim.Kind);
            await RunAsync(claim, cancellationToken);
        }
        return claims.Count;
    }

    async Task RunAsync(SlaActionClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            if (claim.Action == SlaActionKind.Warning)
                await actions.WarnAsync(claim.ConversationId, claim.Kind, claim.WarnedBusinessSeconds, cancellationToken);
            else
                await actions.RunAsync(claim.ConversationId, claim.Kind, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "SLA: the {Action} side effects of {ConversationId} {Kind} failed; they stay owed and are tried again after the lease",
                claim.Action, claim.ConversationId, claim.Kind);
            return;
        }
        if (!await slas.CompleteAsync(claim, CancellationToken.None))
            logger.LogWarning("SLA: the {Action} side effects of {ConversationId} {Kind} outran their lease; another node may have run them too",
                claim.Action, claim.ConversationId, claim.Kind);
    }
}
