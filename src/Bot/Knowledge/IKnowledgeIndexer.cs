namespace IntegrationHub.Bot.Knowledge;

/// <summary>
/// Chunks documents by heading and stores them through <see cref="IKnowledgeChunkStore"/>,
/// re-indexing only documents whose content hash changed. Text is redacted before it is stored.
/// </summary>
/// <remarks>
/// Safe to run twice or on two nodes: the outcome depends only on the documents (idempotent by hash).
/// Callers: the hub's re-index job, the knowledge API (FAQ edits) and connector sync.
/// </remarks>
public interface IKnowledgeIndexer
{
    /// <summary>Brings a source in line with <paramref name="documents"/>: new and changed documents are (re)chunked, missing ones removed.</summary>
    Task<IndexingReport> SyncAsync(string workspaceId, string sourceId, IAsyncEnumerable<KnowledgeDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>Reads a <c>folder</c> source's <c>.md</c>/<c>.markdown</c>/<c>.html</c>/<c>.htm</c> files (recursively) and syncs them.</summary>
    Task<IndexingReport> SyncFolderAsync(KnowledgeSource source, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces one document (an FAQ entry via <see cref="FaqEntry.ToDocument"/>, a changed article).</summary>
    Task<IndexingReport> UpsertAsync(string workspaceId, string sourceId, KnowledgeDocument document, CancellationToken cancellationToken = default);

    /// <summary>Removes one document, or every document of the source when <paramref name="documentId"/> is null.</summary>
    Task<IndexingReport> RemoveAsync(string workspaceId, string sourceId, string? documentId = null, CancellationToken cancellationToken = default);
}
