using Quartz;

namespace IntegrationHub.Benchmarks.Timers;

/// <summary>Quartz's own floor: a job that only counts its firings, for the raw one-off trigger throughput.</summary>
public sealed class RawFireJob : IJob
{
    static int fired;

    public static int Fired => Volatile.Read(ref fired);

    public static void Reset() => Interlocked.Exchange(ref fired, 0);

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref fired);
        return ValueTask.CompletedTask;
    }
}
