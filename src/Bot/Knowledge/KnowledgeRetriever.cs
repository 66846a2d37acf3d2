using IntegrationHub.Bot.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>
/// BM25F retrieval over the workspace's chunks, fused by rank with vector similarity when an embedding
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
        var ambiguous = RetrievalResult.IsTie(lexical);
        var queryVector = await EmbedQueryAsync(index, question, cancellationToken);
        if (queryVector is null) return new RetrievalResult(lexical.Take(top).ToList(), ambiguous);
        return new RetrievalResult(Fuse(index, lexical, queryVector, top, options.Value.Knowledge), ambiguous);
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
    /// Weighted reciprocal rank fusion (Cormack et al. 2009) of the BM25 and the vector ranking: robust to
    /// the two scores living on different scales. Confidence is the better of keyword coverage and
    /// cosine rescaled above <see cref="KnowledgeOptions.EmbeddingSimilarityFloor"/>.
    /// </summary>
    static List<RetrievedPassage> Fuse(KnowledgeIndex index, IReadOnlyList<RetrievedPassage> lexical, float[] query, int top, KnowledgeOptions settings)
    {
        const double K = 60;
        var depth = Math.Max(top * 4, 20);
        var fused = new Dictionary<string, (KnowledgeChunk Chunk, double Score, double Coverage, double Cosine)>(StringComparer.Ordinal);
        for (var rank = 0; rank < lexical.Count; rank++)
        {
            var p = lexical[rank];
            fused[p.Chunk.Id] = (p.Chunk, settings.LexicalWeight / (K + rank + 1), p.Confidence, Cosine(query, p.Chunk.Embedding));
        }
        var vectorRanking = index.Chunks
            .Where(c => c.Embedding is not null)
            .Select(c => (Chunk: c, Cosine: Cosine(query, c.Embedding)))
            .OrderByDescending(x => x.Cosine).ThenBy(x => x.Chunk.Id, StringComparer.Ordinal)
            .Take(depth)
            .ToList();
        for (var rank = 0; rank < vectorRanking.Count; rank++)
        {
            var (chunk, cosine) = vectorRanking[rank];
            var add = (1 - settings.LexicalWeight) / (K + rank + 1);
            fused[chunk.Id] = fused.TryGetValue(chunk.Id, out var e) ? e with { Score = e.Score + add } : (chunk, add, 0, cosine);
        }
        var floor = settings.EmbeddingSimilarityFloor;
        return fused.Values
            .Select(x => new RetrievedPassage(x.Chunk, x.Score, Math.Max(x.Coverage, Math.Clamp((x.Cosine - floor) / (1 - floor), 0, 1))))
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
