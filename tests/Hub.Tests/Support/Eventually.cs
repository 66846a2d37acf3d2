namespace IntegrationHub.Hub.Tests.Support;

/// <summary>Waits for something asynchronous to become true, failing with a clear message after a deadline.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, int timeoutMs = 10_000, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeoutMs} ms waiting for {what ?? typeof(T).Name}");
            await Task.Delay(25);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, int timeoutMs = 10_000, string? what = null) =>
        ValueAsync<object>(async () => await probe() ? new object() : null, timeoutMs, what);
}
