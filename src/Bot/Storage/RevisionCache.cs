using System.Collections.Concurrent;

namespace IntegrationHub.Bot.Storage;

/// <summary>
/// One built value (an index, a trained model) per workspace, rebuilt when the store's revision moves.
/// </summary>
/// <remarks>
/// Persisted state is the truth: each node asks the store for the revision on use, so a change made
/// through any node is picked up by all of them. One build at a time per workspace; readers keep
/// using the previous value until the new one is ready.
/// </remarks>
internal sealed class RevisionCache<T> where T : class
{
    sealed record Entry(long Revision, T Value);

    readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<T> GetAsync(string workspaceId, Func<CancellationToken, Task<long>> revision,
        Func<CancellationToken, Task<T>> build, CancellationToken cancellationToken)
    {
        var current = await revision(cancellationToken);
        if (_entries.TryGetValue(workspaceId, out var entry) && entry.Revision == current) return entry.Value;
        var gate = _locks.GetOrAdd(workspaceId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_entries.TryGetValue(workspaceId, out entry) && entry.Revision == current) return entry.Value;
            var value = await build(cancellationToken);
            _entries[workspaceId] = new Entry(current, value);
            return value;
        }
        finally
        {
            gate.Release();
        }
    }
}
