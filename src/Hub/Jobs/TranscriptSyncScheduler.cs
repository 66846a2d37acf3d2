using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace IntegrationHub.Hub.Jobs;

/// <summary>
/// Records that a handed-off or closed conversation must reach each configured connector (the truth), then books a
/// durable, recoverable Quartz job per connector to carry it out.
/// </summary>
/// <remarks>
/// The close (or handoff) commits before this runs, so a node can die in between. Rather than widen the store's
/// transaction to rows it knows nothing about, <see cref="SweepAsync"/> (at start and every few minutes, see
/// <see cref="TranscriptSyncSweep"/>) books what such a crash left out: closed conversations without their sync,
/// and pending syncs whose Quartz job was never booked. Booking twice is harmless: the row is an upsert and a
/// second run finds the work done.
/// </remarks>
internal sealed class TranscriptSyncScheduler(
    SqlTranscriptSyncStore syncs, ISchedulerFactory schedulers, IOptionsMonitor<TranscriptSyncOptions> options, TimeProvider time,
    ILogger<TranscriptSyncScheduler> logger)
    : IConversationModeListener
{
    public const string Group = "transcript-sync";
    const int SweepBatch = 500;

    /// <summary>A handoff (now queued for a human) and a close each ask for the transcript up to the newest message.</summary>
    public async Task OnModeChangedAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        if (conversation.Mode is not (ConversationMode.Closed or ConversationMode.Queued)) return;
        foreach (var connectorId in options.CurrentValue.Connectors.Distinct(StringComparer.Ordinal))
            if (await syncs.RequestAsync(conversation.Id, conversation.WorkspaceId, connectorId, conversation.LastSequence, cancellationToken))
                await ScheduleAsync(conversation.Id, connectorId, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Books the syncs a crash between a commit and its booking left out; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        var booked = 0;
        foreach (var connectorId in settings.Connectors.Distinct(StringComparer.Ordinal))
            foreach (var (conversationId, workspaceId, version) in await syncs.MissingAsync(connectorId, now.AddHours(-settings.SweepLookbackHours), SweepBatch, cancellationToken))
                if (await syncs.RequestAsync(conversationId, workspaceId, connectorId, version, cancellationToken))
                {
                    await ScheduleAsync(conversationId, connectorId, now, cancellationToken);
                    booked++;
                }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var waiting = (await syncs.ListAsync(TranscriptSyncStates.Pending, SweepBatch, cancellationToken))
            .Concat(await syncs.ListAsync(TranscriptSyncStates.Failed, SweepBatch, cancellationToken));
        foreach (var sync in waiting)
            if ((await scheduler.GetTriggersOfJob(KeyFor(sync.ConversationId, sync.ConnectorId), cancellationToken)).Count == 0)
            {
                await ScheduleAsync(sync.ConversationId, sync.ConnectorId, sync.NextAttemptAt ?? now, cancellationToken);
                booked++;
            }
        if (booked > 0) logger.LogWarning("Transcript sync sweep booked {Count} sync(s) that a crash had left unbooked", booked);
        return booked;
    }

    public static JobKey KeyFor(string conversationId, string connectorId) => new($"{conversationId}/{connectorId}", Group);

    /// <summary>One durable job per conversation and connector; each attempt is its own one-shot trigger (a running trigger is never replaced).</summary>
    public async Task ScheduleAsync(string conversationId, string connectorId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<TranscriptSyncJob>()
            .WithIdentity(KeyFor(conversationId, connectorId))
            .UsingJobData(TranscriptSyncJob.ConversationKey, conversationId)
            .UsingJobData(TranscriptSyncJob.ConnectorKey, connectorId)
            .StoreDurably()
            .RequestRecovery() // killed mid-run: fired again when the scheduler (or another node) recovers
            .Build();
        var trigger = TriggerBuilder.Create().ForJob(job).StartAt(at).Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
    }
}
