using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>Intent definitions held for one benchmark run, in place of the hub's database.</summary>
internal sealed class TransientIntentStore(IEnumerable<IntentDefinition> intents) : IIntentStore
{
    readonly List<IntentDefinition> _intents = [.. intents];
    long _revision = 1;

    public Task<IReadOnlyList<IntentDefinition>> ListAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IntentDefinition>>([.. _intents]);

    public Task UpsertAsync(string workspaceId, IntentDefinition intent, CancellationToken cancellationToken = default)
    {
        _intents.RemoveAll(i => i.Name == intent.Name);
        _intents.Add(intent);
        _revision++;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string workspaceId, string name, CancellationToken cancellationToken = default)
    {
        _intents.RemoveAll(i => i.Name == name);
        _revision++;
        return Task.CompletedTask;
    }

    public Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default) => Task.FromResult(_revision);
}
