namespace IntegrationHub.Benchmarks;

/// <summary>Collects per-operation latencies (thread-safe) and summarises them.</summary>
internal sealed class LatencyRecorder
{
    readonly List<double> milliseconds = [];

    public void Add(TimeSpan elapsed)
    {
        lock (milliseconds) milliseconds.Add(elapsed.TotalMilliseconds);
    }

    public int Count => milliseconds.Count;

    public double Percentile(double p)
    {
        lock (milliseconds)
        {
            if (milliseconds.Count == 0) return double.NaN;
            var sorted = milliseconds.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }
}
