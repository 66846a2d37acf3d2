using System.Threading.RateLimiting;

namespace IntegrationHub.Connectors.Http;

/// <summary>
/// An exact client-side limiter: at most <c>permitLimit</c> permits in any interval of length
/// <c>window</c>, waiting (FIFO) instead of rejecting. Unlike a fixed or segmented window it can
/// never put two bursts into one vendor window, so pacing at the published limit draws no 429s.
/// A small safety margin absorbs network jitter between acquiring and the vendor receiving.
/// </summary>
internal sealed class SlidingLogRateLimiter : RateLimiter
{
    readonly int permitLimit;
    readonly TimeSpan window;
    readonly TimeProvider time;
    readonly Queue<DateTimeOffset> granted = new();
    readonly SemaphoreSlim turn = new(1, 1);
    long waiting;
    DateTimeOffset? idleSince;

    public SlidingLogRateLimiter(int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        this.permitLimit = permitLimit;
        // Jitter margin (the vendor counts arrivals, we count departures): 2% of the window, at least 50 ms.
        this.window = window + TimeSpan.FromTicks(Math.Max(window.Ticks / 50, TimeSpan.FromMilliseconds(50).Ticks));
        this.time = time;
        idleSince = time.GetUtcNow();
    }

    public override TimeSpan? IdleDuration => idleSince is { } since ? time.GetUtcNow() - since : null;

    public override RateLimiterStatistics GetStatistics()
    {
        lock (granted)
            return new() { CurrentAvailablePermits = permitLimit - granted.Count, CurrentQueuedCount = Interlocked.Read(ref waiting) };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (granted) return TryGrant(permitCount, out _) ? Lease.Granted : Lease.Refused;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount > permitLimit) return Lease.Refused;
        Interlocked.Increment(ref waiting);
        try
        {
            await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    TimeSpan wait;
                    lock (granted)
                        if (TryGrant(permitCount, out wait)) return Lease.Granted;
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }
            finally { turn.Release(); }
        }
        finally { Interlocked.Decrement(ref waiting); }
    }

    bool TryGrant(int permitCount, out TimeSpan wait)
    {
        var now = time.GetUtcNow();
        while (granted.Count > 0 && granted.Peek() + window <= now) granted.Dequeue();
        if (granted.Count + permitCount <= permitLimit)
        {
            for (var i = 0; i < permitCount; i++) granted.Enqueue(now);
            idleSince = null;
            wait = TimeSpan.Zero;
            return true;
        }
        wait = granted.Peek() + window - now;
        if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) turn.Dispose();
        base.Dispose(disposing);
    }

    sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);
        public override bool IsAcquired => acquired;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
