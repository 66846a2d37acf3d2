using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Jobs;

/// <summary>Runs <see cref="TranscriptSyncScheduler.SweepAsync"/> shortly after start and then every <see cref="TranscriptSyncOptions.SweepMinutes"/>, on every node.</summary>
internal sealed class TranscriptSyncSweep(TranscriptSyncScheduler scheduler, IOptionsMonitor<TranscriptSyncOptions> options, ILogger<TranscriptSyncSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, options.CurrentValue.SweepStartSeconds)), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (options.CurrentValue.Connectors.Count > 0) await scheduler.SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Transcript sync sweep failed; trying again at the next one");
            }
            await Task.Delay(TimeSpan.FromMinutes(Math.Max(0.01, options.CurrentValue.SweepMinutes)), stoppingToken);
        }
    }
}
