using Quartz;

namespace IntegrationHub.Hub.Jobs;

/// <summary>Thin: runs the persisted sync for one conversation and connector, and books the next attempt when it failed.</summary>
[DisallowConcurrentExecution]
internal sealed class TranscriptSyncJob(TranscriptSyncService service, TranscriptSyncScheduler scheduler) : IJob
{
    public const string ConversationKey = "conversationId";
    public const string ConnectorKey = "connectorId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var conversationId = data.GetString(ConversationKey)!;
        var connectorId = data.GetString(ConnectorKey)!;
        var outcome = await service.RunAsync(conversationId, connectorId, cancellationToken);
        if (outcome.RetryAt is { } at) await scheduler.ScheduleAsync(conversationId, connectorId, at, cancellationToken);
    }
}
