using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace IntegrationHub.Hub.Jobs;

/// <summary>
/// Records that a closed conversation must reach each configured connector (the truth), then books a
/// durable, recoverable Quartz job per connector to carry it out.
/// </summary>
internal sealed class TranscriptSyncScheduler(
    SqlTranscriptSyncStore syncs, ISchedulerFactory schedulers, IOptionsMonitor<TranscriptSyncOptions> options, TimeProvider time)
    : IConversationModeListener
{
    public const string Group = "transcript-sync";

    public async Task OnModeChangedAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        if (conversation.Mode != ConversationMode.Closed) return;
        foreach (var connectorId in options.CurrentValue.Connectors.Distinct(StringComparer.Ordinal))
            if (await syncs.RequestAsync(conversation.Id, conversation.WorkspaceId, connectorId, conversation.LastSequence, cancellationToken))
                await ScheduleAsync(conversation.Id, connectorId, time.GetUtcNow(), cancellationToken);
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
