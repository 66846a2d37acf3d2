using IntegrationHub.Bot.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>
/// BM25F retrieval over the workspace's chunks, fused with vector similarity when an embedding
/// generator is configured and the chunks carry vectors.
/// </summary>
internal sealed class KnowledgeRetriever(
    IKnowledgeChunkStore store,
    IOptions<BotOptions> options,
    TimeProvider time,
    ILogger<KnowledgeRetriever>? logger = null,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) : IKnowledgeSearch
{
    readonly RevisionCache<KnowledgeIndex> _indexes = new();

    public async Task<RetrievalResult> SearchAsync(string workspaceId, string question, int top = 5, CancellationToken cancellationToken = default)
    {
        var index = await _indexes.GetAsync(workspaceId,
            ct => store.GetRevisionAsync(workspaceId, ct),
            async ct => new KnowledgeIndex(await store.ListAsync(workspaceId, ct)),
            cancellationToken);
        return await SearchAsync(index, question, top, cancellationToken);
    }

    internal async Task<RetrievalResult> SearchAsync(KnowledgeIndex index, string question, int top, CancellationToken cancellationToken)
    {
        var lexical = index.Search(question, Math.Max(top * 4, 20));
        var queryVector = await EmbedQueryAsync(index, question, cancellationToken);
        if (queryVector is null) return new RetrievalResult(lexical.Take(top).ToList());
        return new RetrievalResult(Fuse(index, lexical, queryVector, top, options.Value.Knowledge));
    }

    async Task<float[]?> EmbedQueryAsync(KnowledgeIndex index, string question, CancellationToken cancellationToken)
    {
        if (embeddings is null || !index.Chunks.Any(c => c.Embedding is not null)) return null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.Knowledge.EmbeddingTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var generated = await embeddings.GenerateAsync([question], cancellationToken: linked.Token);
            return generated.Count == 1 ? generated[0].Vector.ToArray() : null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Keyword retrieval alone is a worse answer, not no answer.
            (logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<KnowledgeRetriever>.Instance).LogWarning(e, "Query embedding failed; using keyword retrieval only");
            return null;
        }
    }

    /// <summary>
    /// Weighted sum of max-normalised BM25 and cosine similarity over the union of both candidate
    /// lists. Confidence is the better of keyword coverage and rescaled cosine.
    /// </summary>
    static List<RetrievedPassage> Fuse(KnowledgeIndex index, IReadOnlyList<RetrievedPassage> lexical, float[] query, int top, KnowledgeOptions settings)
    {
        var byId = new Dictionary<string, (KnowledgeChunk Chunk, double Bm25, double Coverage, double Cosine)>(StringComparer.Ordinal);
        var maxBm25 = lexical.Count == 0 ? 1 : Math.Max(lexical[0].Score, 1e-9);
        foreach (var p in lexical) byId[p.Chunk.Id] = (p.Chunk, p.Score / maxBm25, p.Confidence, Cosine(query, p.Chunk.Embedding));
        var vectorTop = index.Chunks
            .Where(c => c.Embedding is not null)
            .Select(c => (Chunk: c, Cosine: Cosine(query, c.Embedding)))
            .OrderByDescending(x => x.Cosine).ThenBy(x => x.Chunk.Id, StringComparer.Ordinal)
            .Take(Math.Max(top * 4, 20));
        foreach (var (chunk, cosine) in vectorTop)
            if (!byId.ContainsKey(chunk.Id)) byId[chunk.Id] = (chunk, 0, 0, cosine);

        var floor = settings.EmbeddingSimilarityFloor;
        return byId.Values
            .Select(x => new RetrievedPassage(x.Chunk,
                settings.LexicalWeight * x.Bm25 + (1 - settings.LexicalWeight) * x.Cosine,
                Math.Max(x.Coverage, Math.Clamp((x.Cosine - floor) / (1 - floor), 0, 1))))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Chunk.Id, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    static double Cosine(float[] a, float[]? b)
    {
        if (b is null || b.Length != a.Length) return 0;
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
