namespace IntegrationHub.Bot.Intents;

/// <summary>Intent definitions of a workspace, persisted by the hub and edited through its API.</summary>
/// <remarks>
/// Every write must advance <see cref="GetRevisionAsync"/>: each node retrains its classifier when
/// the revision it sees changes, which takes well under a second for typical intent sets.
/// </remarks>
public interface IIntentStore
{
    Task<IReadOnlyList<IntentDefinition>> ListAsync(string workspaceId, CancellationToken cancellationToken = default);
    Task UpsertAsync(string workspaceId, IntentDefinition intent, CancellationToken cancellationToken = default);
    Task DeleteAsync(string workspaceId, string name, CancellationToken cancellationToken = default);
    /// <summary>A value that changes whenever any intent of the workspace changes.</summary>
    Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default);
}
