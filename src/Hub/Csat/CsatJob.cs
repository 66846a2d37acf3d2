using Microsoft.Extensions.Options;
using Quartz;

namespace IntegrationHub.Hub.Csat;

/// <summary>Thin: sends a scheduled survey, or pushes a stored answer to the tickets (again later while none is linked).</summary>
[DisallowConcurrentExecution]
internal sealed class CsatJob(CsatService csat, CsatScheduler scheduler, IOptionsMonitor<CsatOptions> options, TimeProvider time) : IJob
{
    public const string ConversationKey = "conversationId";
    public const string ActionKey = "action";
    public const string AttemptKey = "attempt";
    public const string Send = "send";
    public const string Push = "push";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var conversationId = data.GetString(ConversationKey)!;
        if (data.GetString(ActionKey) == Send)
        {
            await csat.SendAsync(conversationId, cancellationToken);
            return;
        }
        var attempt = int.TryParse(data.GetString(AttemptKey), out var n) ? n : 1;
        var settings = options.CurrentValue;
        if (!await csat.PushAsync(conversationId, cancellationToken) && attempt < settings.PushAttempts)
            await scheduler.ScheduleAsync(conversationId, Push, attempt + 1, time.GetUtcNow().AddSeconds(settings.PushRetrySeconds), cancellationToken);
    }
}
