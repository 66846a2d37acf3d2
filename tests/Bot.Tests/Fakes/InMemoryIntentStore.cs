using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Bot.Tests.Fakes;

/// <summary>A fake of the hub's intent table: what the hub's SQL implementation must behave like.</summary>
internal sealed class InMemoryIntentStore : IIntentStore
{
    readonly Dictionary<(string, string), IntentDefinition> _intents = [];
    long _revision;
    public int ListCalls { get; private set; }

    public InMemoryIntentStore(string workspaceId = "ws", IEnumerable<IntentDefinition>? intents = null)
    {
        foreach (var i in intents ?? []) _intents[(workspaceId, i.Name)] = i;
    }

    public Task<IReadOnlyList<IntentDefinition>> ListAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ListCalls++;
        return Task.FromResult<IReadOnlyList<IntentDefinition>>(_intents.Where(p => p.Key.Item1 == workspaceId).Select(p => p.Value).ToList());
    }

    public Task UpsertAsync(string workspaceId, IntentDefinition intent, CancellationToken cancellationToken = default)
    {
        _intents[(workspaceId, intent.Name)] = intent;
        _revision++;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string workspaceId, string name, CancellationToken cancellationToken = default)
    {
        _intents.Remove((workspaceId, name));
        _revision++;
        return Task.CompletedTask;
    }

    public Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default) => Task.FromResult(_revision);
}
