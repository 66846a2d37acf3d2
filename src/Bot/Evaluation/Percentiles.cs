namespace IntegrationHub.Bot.Evaluation;

/// <summary>Nearest-rank percentiles over latency samples.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> samples, double percentile)
    {
        if (samples.Count == 0) return 0;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Microseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
}
