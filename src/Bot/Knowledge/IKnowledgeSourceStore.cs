namespace IntegrationHub.Bot.Knowledge;

/// <summary>Knowledge sources of a workspace, persisted by the hub.</summary>
/// <remarks>Implemented by the hub over its database; calls may run on any node concurrently.</remarks>
public interface IKnowledgeSourceStore
{
    Task<IReadOnlyList<KnowledgeSource>> ListAsync(string workspaceId, CancellationToken cancellationToken = default);
    Task UpsertAsync(KnowledgeSource source, CancellationToken cancellationToken = default);
    /// <summary>Deletes the source record; <see cref="IKnowledgeIndexer.RemoveSourceAsync"/> removes its chunks.</summary>
    Task DeleteAsync(string workspaceId, string sourceId, CancellationToken cancellationToken = default);
}
