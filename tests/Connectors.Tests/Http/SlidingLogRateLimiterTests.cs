using System.Diagnostics;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Tests.Http;

public sealed class SlidingLogRateLimiterTests
{
    [Fact]
    public async Task AcquireAsync_MoreThanLimit_WaitsForTheWindowInsteadOfRefusing()
    {
        using var limiter = new SlidingLogRateLimiter(5, TimeSpan.FromMilliseconds(400), TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var stamps = new List<TimeSpan>();
        for (var i = 0; i < 11; i++)
        {
            using var lease = await limiter.AcquireAsync();
            Assert.True(lease.IsAcquired);
            stamps.Add(watch.Elapsed);
        }
        // At most 5 grants in any 400 ms: grant i and grant i+5 are at least a window apart.
        for (var i = 0; i + 5 < stamps.Count; i++) Assert.True(stamps[i + 5] - stamps[i] >= TimeSpan.FromMilliseconds(400), $"grants {i} and {i + 5} too close");
    }

    [Fact]
    public void AttemptAcquire_OverLimit_IsRefused()
    {
        using var limiter = new SlidingLogRateLimiter(2, TimeSpan.FromMinutes(1), TimeProvider.System);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }
}
