using System.Collections.Concurrent;
using Quartz;

namespace IntegrationHub.Benchmarks.Timers;

/// <summary>Quartz's own floor: a job that only notes when each firing ran against when it was due.</summary>
public sealed class RawFireJob : IJob
{
    static ConcurrentQueue<(DateTimeOffset Due, DateTimeOffset Fired)> firings = new();

    public static int Fired => firings.Count;

    public static IReadOnlyCollection<(DateTimeOffset Due, DateTimeOffset Fired)> Firings => firings;

    public static void Reset() => firings = new();

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        firings.Enqueue((context.ScheduledFireTimeUtc ?? context.FireTimeUtc, DateTimeOffset.UtcNow));
        return ValueTask.CompletedTask;
    }
}
