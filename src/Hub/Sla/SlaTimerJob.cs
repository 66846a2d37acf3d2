using Quartz;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// Thin: asks the service whether the timer warned or breached now, books the next look, then runs the side effects
/// the timer owes (those this firing recorded, and any a dead node left owed). Booking first: a failing side effect
/// must not leave a running timer without its next look.
/// Not marked DisallowConcurrentExecution: a timer has one trigger, and the service's conditional updates, not
/// Quartz, make it warn and breach once; the mark would make every PostgreSQL firing round take the cluster lock.
/// </summary>
internal sealed class SlaTimerJob(SlaService sla, SlaTimerScheduler scheduler, SlaActionRunner actions) : IJob
{
    public const string ConversationKey = "conversationId";
    public const string KindKey = "kind";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var conversationId = context.MergedJobDataMap.GetString(ConversationKey)!;
        var kind = context.MergedJobDataMap.GetString(KindKey)!;
        var result = await sla.FireAsync(conversationId, kind, cancellationToken);
        if (result.NextFireAt is { } at) await scheduler.ScheduleAsync(conversationId, kind, at, cancellationToken);
        await actions.RunOwedAsync(conversationId, kind, result.Claims, result.EarlierActionsOwed, cancellationToken);
    }
}
