namespace IntegrationHub.Hub.Tests.Support;

/// <summary>A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    readonly Lock sync = new();
    // UTC, as TimeProvider.GetUtcNow promises (Npgsql refuses other offsets).
    DateTimeOffset now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow()
    {
        lock (sync) return now;
    }

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time only moves forward");
        lock (sync) now += by;
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        lock (sync)
        {
            if (value < now) throw new ArgumentOutOfRangeException(nameof(value), "time only moves forward");
            now = value.ToUniversalTime();
        }
    }
}
