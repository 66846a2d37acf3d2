using System.Collections.Concurrent;
using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>
/// A chunk store that lives only for one evaluation or benchmark run, so the CLI measures the same
/// indexer and retriever the hub uses without a database.
/// </summary>
internal sealed class TransientChunkStore : IKnowledgeChunkStore
{
    readonly ConcurrentDictionary<(string Workspace, string Source, string Document), IReadOnlyList<KnowledgeChunk>> _documents = new();
    long _revision;

    public Task<IReadOnlyDictionary<string, string>> GetDocumentHashesAsync(string workspaceId, string sourceId, CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<string, string> hashes = _documents
            .Where(d => d.Key.Workspace == workspaceId && d.Key.Source == sourceId && d.Value.Count > 0)
            .ToDictionary(d => d.Key.Document, d => d.Value[0].ContentHash, StringComparer.Ordinal);
        return Task.FromResult(hashes);
    }

    public Task ReplaceDocumentAsync(string workspaceId, string sourceId, string documentId, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken = default)
    {
        if (chunks.Count == 0) _documents.TryRemove((workspaceId, sourceId, documentId), out _);
        else _documents[(workspaceId, sourceId, documentId)] = chunks;
        Interlocked.Increment(ref _revision);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KnowledgeChunk>> ListAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<KnowledgeChunk> chunks = _documents.Where(d => d.Key.Workspace == workspaceId).SelectMany(d => d.Value).ToList();
        return Task.FromResult(chunks);
    }

    public Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Interlocked.Read(ref _revision));
}
