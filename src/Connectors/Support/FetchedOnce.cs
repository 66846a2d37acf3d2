namespace IntegrationHub.Connectors.Support;

/// <summary>
/// A value read from the vendor on first use and kept (e.g. the integration's own user id, to recognise its own
/// comments). Unlike <see cref="Lazy{T}"/>, a failed or empty read is not kept: the next caller tries again.
/// </summary>
internal sealed class FetchedOnce<T>(Func<CancellationToken, Task<T?>> fetch) : IDisposable where T : class
{
    readonly SemaphoreSlim gate = new(1, 1);
    T? value;

    public async Task<T?> GetAsync(CancellationToken cancellationToken)
    {
        if (value is { } known) return known;
        await gate.WaitAsync(cancellationToken);
        try
        {
            return value ??= await fetch(cancellationToken);
        }
        finally { gate.Release(); }
    }

    public void Dispose() => gate.Dispose();
}
