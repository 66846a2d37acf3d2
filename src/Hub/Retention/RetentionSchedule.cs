using Microsoft.Extensions.Options;
using Quartz;

namespace IntegrationHub.Hub.Retention;

/// <summary>At start, books the recurring retention job (or removes it when retention is off). Every node books the same key, so it runs once per interval.</summary>
internal sealed class RetentionSchedule(ISchedulerFactory schedulers, IOptions<RetentionOptions> options) : IHostedService
{
    public static readonly JobKey Key = new("retention", "retention");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var settings = options.Value;
        if (!settings.Enabled)
        {
            await scheduler.DeleteJob(Key, cancellationToken);
            return;
        }
        var job = JobBuilder.Create<RetentionJob>().WithIdentity(Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create().WithIdentity("retention", "retention").ForJob(job)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(settings.IntervalHours)).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
