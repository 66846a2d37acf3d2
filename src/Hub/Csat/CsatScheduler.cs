using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace IntegrationHub.Hub.Csat;

/// <summary>Books one survey per conversation when it closes (after the configured delay), and the push of an answer, as durable Quartz jobs.</summary>
internal sealed class CsatScheduler(SqlCsatStore surveys, ISchedulerFactory schedulers, IOptionsMonitor<CsatOptions> options, TimeProvider time)
    : IConversationModeListener
{
    public const string Group = "csat";

    public async Task OnModeChangedAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        if (conversation.Mode != ConversationMode.Closed || !settings.Enabled) return;
        var at = time.GetUtcNow().AddSeconds(settings.DelaySeconds);
        var botOnly = conversation.FirstHumanReplyAt is null && conversation.Tickets.Count == 0;
        if (await surveys.ScheduleAsync(conversation.Id, conversation.WorkspaceId, conversation.Channel, botOnly, at, cancellationToken))
            await ScheduleAsync(conversation.Id, CsatJob.Send, 1, at, cancellationToken);
    }

    public async Task ScheduleAsync(string conversationId, string action, int attempt, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<CsatJob>()
            .WithIdentity($"{conversationId}/{action}", Group)
            .UsingJobData(CsatJob.ConversationKey, conversationId)
            .UsingJobData(CsatJob.ActionKey, action)
            .StoreDurably()
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().ForJob(job).UsingJobData(CsatJob.AttemptKey, attempt.ToString()).StartAt(at).Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
    }
}
