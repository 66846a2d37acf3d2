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

    /// <summary>
    /// One durable job per timer, with one trigger named after the timer: a later look at the same timer replaces
    /// its booking rather than adding one. (One job for all timers would make Quartz's per-job trigger queries read
    /// every pending timer on each firing.) The first booking is a plain insert, which on PostgreSQL takes no
    /// cluster-wide lock; only a re-booking replaces under it. An early or stale firing is harmless: the service
    /// decides from the row.
    /// </summary>
    public async Task ScheduleAsync(string conversationId, string kind, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = $"{conversationId}/{kind}";
        var job = JobBuilder.Create<SlaTimerJob>()
            .WithIdentity(key, Group)
            .UsingJobData(SlaTimerJob.ConversationKey, conversationId)
            .UsingJobData(SlaTimerJob.KindKey, kind)
            .StoreDurably()
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key, Group)
            .ForJob(job)
            .StartAt(at)
            // A burst of due timers drains late; past the store's 1 minute each would first be rewritten as misfired (to fire now anyway).
            .WithMisfireThreshold(TimeSpan.FromHours(1))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }
}
