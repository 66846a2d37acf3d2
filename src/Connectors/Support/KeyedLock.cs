namespace IntegrationHub.Connectors.Support;

/// <summary>Async mutual exclusion per key (a contact's e-mail, a conversation id) within one connector instance.</summary>
internal sealed class KeyedLock
{
    readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> gates = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken = default)
    {
        SemaphoreSlim gate;
        lock (gates)
        {
            gate = gates.TryGetValue(key, out var entry) ? entry.Gate : new SemaphoreSlim(1, 1);
            gates[key] = (gate, entry.Users + 1);
        }
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key);
            throw;
        }
        return new Releaser(this, key, gate);
    }

    void Leave(string key)
    {
        lock (gates)
        {
            var (gate, users) = gates[key];
            if (users == 1) gates.Remove(key);
            else gates[key] = (gate, users - 1);
        }
    }

    sealed class Releaser(KeyedLock owner, string key, SemaphoreSlim gate) : IDisposable
    {
        int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            gate.Release();
            owner.Leave(key);
        }
    }
}
