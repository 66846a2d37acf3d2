using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Bot.Tests.Fakes;

/// <summary>A fake of the hub's knowledge chunk table; records writes so tests can check incremental re-indexing.</summary>
internal sealed class InMemoryChunkStore : IKnowledgeChunkStore
{
    readonly SortedDictionary<string, IReadOnlyList<KnowledgeChunk>> _documents = new(StringComparer.Ordinal);
    long _revision;
    public List<string> Writes { get; } = [];

    static string Key(string ws, string source, string doc) => $"{ws}\u0001{source}\u0001{doc}";

    public Task<IReadOnlyDictionary<string, string>> GetDocumentHashesAsync(string workspaceId, string sourceId, CancellationToken cancellationToken = default)
    {
        var prefix = $"{workspaceId}\u0001{sourceId}\u0001";
        IReadOnlyDictionary<string, string> hashes = _documents.Where(d => d.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(d => d.Key[prefix.Length..], d => d.Value[0].ContentHash);
        return Task.FromResult(hashes);
    }

    public Task ReplaceDocumentAsync(string workspaceId, string sourceId, string documentId, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken = default)
    {
        Writes.Add(documentId);
        if (chunks.Count == 0) _documents.Remove(Key(workspaceId, sourceId, documentId));
        else _documents[Key(workspaceId, sourceId, documentId)] = chunks;
        _revision++;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KnowledgeChunk>> ListAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<KnowledgeChunk>>(_documents.Where(d => d.Key.StartsWith(workspaceId + "\u0001", StringComparison.Ordinal)).SelectMany(d => d.Value).ToList());

    public Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default) => Task.FromResult(_revision);
}
