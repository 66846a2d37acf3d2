using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// On every node, shortly after start and then every <see cref="SlaOptions.SweepSeconds"/>: finishes the warning and
/// breach side effects a dead node left owed on timers nobody looks at again (a breached timer has no trigger left).
/// The claims keep two nodes from running the same ones. It also clears the Quartz jobs of finished timers.
/// </summary>
internal sealed class SlaActionSweep(SlaActionRunner runner, SlaTimerScheduler timers, IOptions<SlaOptions> options, ILogger<SlaActionSweep> logger) : BackgroundService
{
    const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, options.Value.SweepStartSeconds)), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = await runner.SweepAsync(Batch, stoppingToken);
                await timers.RemoveFinishedJobsAsync(1000, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "SLA sweep failed; trying again at the next one");
            }
            // A full batch: more may be waiting behind it.
            if (taken < Batch) await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.01, options.Value.SweepSeconds)), stoppingToken);
        }
    }
}
