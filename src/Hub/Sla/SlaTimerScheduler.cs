using IntegrationHub.Hub.Conversations;
using Quartz;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// Starts SLA timers when a conversation needs a human, stops them when it closes, and books a durable
/// Quartz job per timer at the instant the service says it must be looked at next.
/// </summary>
internal sealed class SlaTimerScheduler(SlaService sla, ISchedulerFactory schedulers) : IConversationModeListener
{
    public const string Group = "sla";

    public async Task OnModeChangedAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        switch (conversation.Mode)
        {
            case ConversationMode.Queued or ConversationMode.Human:
                foreach (var (kind, at) in await sla.StartAsync(conversation, cancellationToken))
                    await ScheduleAsync(conversation.Id, kind, at, cancellationToken);
                break;
            case ConversationMode.Closed:
                await sla.MeetAsync(conversation.Id, cancellationToken: cancellationToken);
                break;
        }
    }

    /// <summary>Waiting on the customer ended: resumed timers are booked again at their new instants.</summary>
    public async Task ResumeAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        foreach (var (kind, at) in await sla.ResumeAsync(conversationId, cancellationToken))
            await ScheduleAsync(conversationId, kind, at, cancellationToken);
    }

    /// <summary>One durable job per timer; each look is its own one-shot trigger. An early or stale firing is harmless: the service decides from the row.</summary>
    public async Task ScheduleAsync(string conversationId, string kind, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<SlaTimerJob>()
            .WithIdentity($"{conversationId}/{kind}", Group)
            .UsingJobData(SlaTimerJob.ConversationKey, conversationId)
            .UsingJobData(SlaTimerJob.KindKey, kind)
            .StoreDurably()
            .RequestRecovery()
            .Build();
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().ForJob(job).StartAt(at).Build(), new ScheduleJobOptions { Replace = true }, cancellationToken);
    }
}
