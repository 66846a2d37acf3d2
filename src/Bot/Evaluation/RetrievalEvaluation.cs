using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>
/// <c>eval retrieval --docs FILE --queries FILE [--k N]</c>: indexes the documents through the bot's
/// own indexer (chunking, redaction, store) and retriever, then scores document rankings.
/// </summary>
/// <remarks>A document's rank is the rank of its best chunk.</remarks>
internal static class RetrievalEvaluation
{
    sealed record Doc(string Id, string? Title, string Text);
    sealed record QueryRow(string Query, List<string> Relevant);

    const string Workspace = "eval", Source = "eval";

    public static async Task<JsonObject> RunAsync(string docsPath, string queriesPath, int k, TextWriter output, CancellationToken cancellationToken = default)
    {
        var docs = JsonLines.Read<Doc>(docsPath);
        var queries = JsonLines.Read<QueryRow>(queriesPath);
        if (docs.Any(d => d.Id is null || d.Text is null)) throw new EvalUsageException($"{docsPath}: every line needs id and text");
        if (queries.Any(q => q.Query is null || q.Relevant is null)) throw new EvalUsageException($"{queriesPath}: every line needs query and relevant");

        var store = new TransientChunkStore();
        var indexer = new KnowledgeIndexer(store, new Redactor([]));
        var clock = Stopwatch.StartNew();
        var report = await indexer.SyncAsync(Workspace, Source,
            docs.Select(d => new KnowledgeDocument(d.Id, d.Title ?? "", d.Text, KnowledgeDocument.PlainText)).ToAsyncEnumerable(), cancellationToken);
        var retriever = new KnowledgeRetriever(store, Options.Create(new BotOptions()), TimeProvider.System);
        await retriever.SearchAsync(Workspace, "warm up", 1, cancellationToken); // builds the in-process index
        var indexSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"indexed {docs.Count} documents as {report.Chunks} chunks in {indexSeconds:F2} s; {queries.Count} queries");

        var depth = Math.Max(k, 10);
        double hit1 = 0, hitK = 0, recallK = 0, mrr10 = 0;
        var latencies = new List<double>(queries.Count);
        foreach (var q in queries)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await retriever.SearchAsync(Workspace, q.Query, depth * 4, cancellationToken);
            latencies.Add(Percentiles.Microseconds(Stopwatch.GetTimestamp() - start));
            var ranked = result.Passages.Select(p => p.Chunk.DocumentId).Distinct().Take(depth).ToList();
            var relevant = q.Relevant.ToHashSet(StringComparer.Ordinal);
            if (ranked.Count > 0 && relevant.Contains(ranked[0])) hit1++;
            if (ranked.Take(k).Any(relevant.Contains)) hitK++;
            recallK += relevant.Count == 0 ? 0 : (double)ranked.Take(k).Count(relevant.Contains) / relevant.Count;
            var first = ranked.Take(10).ToList().FindIndex(relevant.Contains);
            if (first >= 0) mrr10 += 1.0 / (first + 1);
        }
        var n = Math.Max(1, queries.Count);
        var result2 = new JsonObject
        {
            ["command"] = "retrieval",
            ["docs"] = docs.Count,
            ["chunks"] = report.Chunks,
            ["queries"] = queries.Count,
            ["k"] = k,
            ["hit@1"] = Math.Round(hit1 / n, 4),
            [$"hit@{k}"] = Math.Round(hitK / n, 4),
            [$"recall@{k}"] = Math.Round(recallK / n, 4),
            ["mrr@10"] = Math.Round(mrr10 / n, 4),
            ["index_seconds"] = Math.Round(indexSeconds, 3),
            ["p50_us"] = Math.Round(Percentiles.Of(latencies, 50), 1),
            ["p99_us"] = Math.Round(Percentiles.Of(latencies, 99), 1),
        };
        output.WriteLine($"hit@1 {result2["hit@1"]}, hit@{k} {result2[$"hit@{k}"]}, recall@{k} {result2[$"recall@{k}"]}, MRR@10 {result2["mrr@10"]}; query p50 {result2["p50_us"]} µs, p99 {result2["p99_us"]} µs");
        return result2;
    }
}
