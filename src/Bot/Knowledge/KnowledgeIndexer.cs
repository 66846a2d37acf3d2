using IntegrationHub.Bot.Redaction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Bot.Knowledge;

internal sealed class KnowledgeIndexer(
    IKnowledgeChunkStore store,
    IRedactor redactor,
    ILogger<KnowledgeIndexer>? logger = null,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) : IKnowledgeIndexer
{
    readonly ILogger _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeIndexer>.Instance;

    static readonly string[] Extensions = [".md", ".markdown", ".html", ".htm"];

    public async Task<IndexingReport> SyncAsync(string workspaceId, string sourceId, IAsyncEnumerable<KnowledgeDocument> documents, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetDocumentHashesAsync(workspaceId, sourceId, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var report = IndexingReport.None;
        await foreach (var document in documents.WithCancellation(cancellationToken))
        {
            if (!seen.Add(document.Id)) continue; // first one wins; a source must not list an id twice
            report = report.Plus(await UpsertAsync(workspaceId, sourceId, document, existing, cancellationToken));
        }
        // Removed in the source: remove from the index, in id order so logs read the same everywhere.
        foreach (var gone in existing.Keys.Where(id => !seen.Contains(id)).Order(StringComparer.Ordinal))
        {
            await store.ReplaceDocumentAsync(workspaceId, sourceId, gone, [], cancellationToken);
            report = report.Plus(new IndexingReport(0, 0, 0, 1, 0));
        }
        _logger.LogInformation("Knowledge source {SourceId} synced: {Added} added, {Updated} updated, {Unchanged} unchanged, {Removed} removed",
            sourceId, report.Added, report.Updated, report.Unchanged, report.Removed);
        return report;
    }

    public Task<IndexingReport> SyncFolderAsync(KnowledgeSource source, CancellationToken cancellationToken = default)
    {
        if (source.Kind != KnowledgeSourceKinds.Folder || string.IsNullOrEmpty(source.Location))
            throw new ArgumentException($"knowledge source {source.Id} is not a folder source with a location", nameof(source));
        if (!Directory.Exists(source.Location))
            throw new DirectoryNotFoundException($"knowledge folder {source.Location} (source {source.Id}) does not exist");
        return SyncAsync(source.WorkspaceId, source.Id, ReadFolder(source, cancellationToken), cancellationToken);
    }

    public async Task<IndexingReport> UpsertAsync(string workspaceId, string sourceId, KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetDocumentHashesAsync(workspaceId, sourceId, cancellationToken);
        return await UpsertAsync(workspaceId, sourceId, document, existing, cancellationToken);
    }

    public async Task<IndexingReport> RemoveAsync(string workspaceId, string sourceId, string? documentId = null, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetDocumentHashesAsync(workspaceId, sourceId, cancellationToken);
        var removed = 0;
        foreach (var id in existing.Keys.Where(k => documentId is null || k == documentId).Order(StringComparer.Ordinal))
        {
            await store.ReplaceDocumentAsync(workspaceId, sourceId, id, [], cancellationToken);
            removed++;
        }
        return new IndexingReport(0, 0, 0, removed, 0);
    }

    async Task<IndexingReport> UpsertAsync(string workspaceId, string sourceId, KnowledgeDocument document,
        IReadOnlyDictionary<string, string> existing, CancellationToken cancellationToken)
    {
        var hash = DocumentChunker.Hash(document);
        var known = existing.TryGetValue(document.Id, out var oldHash);
        if (known && oldHash == hash) return new IndexingReport(0, 0, 1, 0, 0);

        var chunks = DocumentChunker.Chunk(workspaceId, sourceId, document, redactor.Redact);
        chunks = await EmbedAsync(chunks, cancellationToken);
        await store.ReplaceDocumentAsync(workspaceId, sourceId, document.Id, chunks, cancellationToken);
        return known ? new IndexingReport(0, 1, 0, 0, chunks.Count) : new IndexingReport(1, 0, 0, 0, chunks.Count);
    }

    async Task<IReadOnlyList<KnowledgeChunk>> EmbedAsync(IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken)
    {
        if (embeddings is null || chunks.Count == 0) return chunks;
        try
        {
            var vectors = await embeddings.GenerateAsync(chunks.Select(EmbeddingText), cancellationToken: cancellationToken);
            if (vectors.Count != chunks.Count) throw new InvalidOperationException($"asked for {chunks.Count} embeddings, got {vectors.Count}");
            return chunks.Select((c, i) => c with { Embedding = vectors[i].Vector.ToArray() }).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Keyword retrieval still works without vectors; the next re-index of a changed document retries.
            _logger.LogWarning(e, "Embedding {Count} chunks failed; indexing them for keyword search only", chunks.Count);
            return chunks;
        }
    }

    internal static string EmbeddingText(KnowledgeChunk chunk) => $"{chunk.CitationTitle}\n{chunk.Text}";

    static async IAsyncEnumerable<KnowledgeDocument> ReadFolder(KnowledgeSource source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(source.Location!);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            var content = await File.ReadAllTextAsync(Path.Combine(root, relative), cancellationToken);
            var html = relative.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || relative.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
            yield return new KnowledgeDocument(relative, "", content, html ? KnowledgeDocument.Html : KnowledgeDocument.Markdown, PageUrl(source, relative));
        }
    }

    /// <summary>
    /// Where a citation points: under the source's base URL when one is configured, otherwise under
    /// <c>/knowledge/{sourceId}/</c>, a path the hub serves from the same folder.
    /// </summary>
    static string PageUrl(KnowledgeSource source, string relative)
    {
        var page = Path.ChangeExtension(relative, ".html");
        var escaped = string.Join('/', page.Split('/').Select(Uri.EscapeDataString));
        return source.BaseUrl is { Length: > 0 } baseUrl
            ? $"{baseUrl.TrimEnd('/')}/{escaped}"
            : $"/knowledge/{Uri.EscapeDataString(source.Id)}/{escaped}";
    }
}
