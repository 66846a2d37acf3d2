namespace IntegrationHub.Bot.Knowledge;

/// <summary>
/// Chunks of a workspace's knowledge, persisted by the hub. The in-process index is rebuilt from
/// <see cref="ListAsync"/> whenever <see cref="GetRevisionAsync"/> changes.
/// </summary>
/// <remarks>
/// Replacing a document's chunks must be atomic (one transaction) and must advance the revision,
/// so another node never indexes half a document. Chunk text is already redacted.
/// </remarks>
public interface IKnowledgeChunkStore
{
    /// <summary>Content hash of every indexed document of a source, by document id: the basis of incremental re-indexing.</summary>
    Task<IReadOnlyDictionary<string, string>> GetDocumentHashesAsync(string workspaceId, string sourceId, CancellationToken cancellationToken = default);

    /// <summary>Replaces all chunks of one document (empty list = delete the document) and advances the revision.</summary>
    Task ReplaceDocumentAsync(string workspaceId, string sourceId, string documentId, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>Every chunk of the workspace, in any order (the index sorts).</summary>
    Task<IReadOnlyList<KnowledgeChunk>> ListAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>A value that changes whenever any chunk of the workspace changes (a counter or a timestamp).</summary>
    Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default);
}
