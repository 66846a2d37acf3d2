namespace IntegrationHub.Benchmarks;

/// <summary>
/// Runs warm-up rounds until the JIT has settled. Tiered compilation recompiles hot methods in the background (through an
/// instrumented tier) for tens of seconds on 2 busy cores; measured before it settles, a benchmark times start-up.
/// </summary>
internal static class JitWarmup
{
    /// <summary>Settled: two rounds in a row that compiled fewer than 50 methods (one quiet round can be a lull between tiers).</summary>
    public static async Task UntilSettledAsync(Func<int, Task> round, int maxRounds)
    {
        for (int warmup = 1, quiet = 0; ; warmup++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round(warmup);
            var recompiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled;
            quiet = recompiled < 50 ? quiet + 1 : 0;
            if (quiet == 2 || warmup == maxRounds)
            {
                Console.WriteLine($"warm after {warmup} warm-up rounds ({recompiled} methods compiled in the last{(quiet == 2 ? "" : "; not settled")})");
                return;
            }
        }
    }
}
