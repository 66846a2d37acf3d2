using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>
/// <c>eval bot-turn [--chunks N] [--turns N]</c>: latency of one bot turn over a knowledge base of N
/// chunks (default 5,000): the sample knowledge plus generated help articles, the sample intents, and
/// the sample intents' utterances (with typos) as customer messages. Reports classify+retrieve and a
/// full <see cref="IBotEngine.ReplyAsync"/> turn, p50/p99 in microseconds.
/// </summary>
public static class BotTurnBenchmark
{
    const string Workspace = "bench";

    public static async Task<JsonObject> RunAsync(int chunks, int turns, TextWriter output, CancellationToken cancellationToken = default)
    {
        var chunkStore = new TransientChunkStore();
        var redactor = new Redactor([]);
        var indexer = new KnowledgeIndexer(chunkStore, redactor);
        var options = Options.Create(new BotOptions());
        var clock = Stopwatch.StartNew();
        await indexer.SyncFolderAsync(new KnowledgeSource(Workspace, "sample", KnowledgeSourceKinds.Folder, SampleContent.KnowledgeFolder), cancellationToken);
        var existing = (await chunkStore.ListAsync(Workspace, cancellationToken)).Count;
        await indexer.SyncAsync(Workspace, "generated", Generate(Math.Max(0, chunks - existing)).ToAsyncEnumerable(), cancellationToken);
        var total = (await chunkStore.ListAsync(Workspace, cancellationToken)).Count;
        var intents = SampleContent.Intents();
        var intentStore = new TransientIntentStore(intents);
        var retriever = new KnowledgeRetriever(chunkStore, options, TimeProvider.System);
        var engine = new BotEngine(intentStore, retriever, redactor, options, TimeProvider.System);
        var model = IntentModel.Train(intents, options.Value.OutOfScopeThreshold);
        await retriever.SearchAsync(Workspace, "warm up", 5, cancellationToken);
        output.WriteLine($"knowledge: {total} chunks, indexed in {clock.Elapsed.TotalSeconds:F2} s; {intents.Count} intents");

        var messages = intents.SelectMany(i => i.Examples).SelectMany(e => new[] { e, Typo(e) }).ToList();
        // Warm-up so the JIT is not measured.
        foreach (var m in messages.Take(20))
        {
            model.Classifier!.Classify(m);
            await retriever.SearchAsync(Workspace, m, 5, cancellationToken);
            await engine.ReplyAsync(Request(m), cancellationToken);
        }
        var core = new List<double>(turns);
        var full = new List<double>(turns);
        for (var i = 0; i < turns; i++)
        {
            var m = messages[i % messages.Count];
            var start = Stopwatch.GetTimestamp();
            model.Classifier!.Classify(m);
            await retriever.SearchAsync(Workspace, m, 5, cancellationToken);
            core.Add(Percentiles.Microseconds(Stopwatch.GetTimestamp() - start));
            start = Stopwatch.GetTimestamp();
            await engine.ReplyAsync(Request(m), cancellationToken);
            full.Add(Percentiles.Microseconds(Stopwatch.GetTimestamp() - start));
        }
        var result = new JsonObject
        {
            ["command"] = "bot-turn",
            ["chunks"] = total,
            ["turns"] = turns,
            ["classify_retrieve_p50_us"] = Math.Round(Percentiles.Of(core, 50), 1),
            ["classify_retrieve_p99_us"] = Math.Round(Percentiles.Of(core, 99), 1),
            ["reply_p50_us"] = Math.Round(Percentiles.Of(full, 50), 1),
            ["reply_p99_us"] = Math.Round(Percentiles.Of(full, 99), 1),
        };
        output.WriteLine($"classify+retrieve p50 {result["classify_retrieve_p50_us"]} µs, p99 {result["classify_retrieve_p99_us"]} µs; full turn p50 {result["reply_p50_us"]} µs, p99 {result["reply_p99_us"]} µs");
        return result;
    }

    static BotRequest Request(string message) => new()
    {
        WorkspaceId = Workspace,
        ConversationId = "bench",
        Channel = "webchat",
        Transcript = [new TranscriptMessage(1, "customer", "public", message, DateTimeOffset.UnixEpoch)],
    };

    static string Typo(string text) => text.Length < 6 ? text : text.Remove(text.Length / 2, 1);

    /// <summary>Deterministic help-centre-like documents: Zipf-distributed words over a generated vocabulary, three sections each.</summary>
    static IEnumerable<KnowledgeDocument> Generate(int chunks)
    {
        var random = new SplitMix(42);
        var vocabulary = Enumerable.Range(0, 8000).Select(i => Word(random, i)).ToArray();
        string Words(int n)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < n; i++)
            {
                var u = (random.Next() >> 11) * (1.0 / (1UL << 53));
                var rank = (int)Math.Min(vocabulary.Length - 1, Math.Floor(Math.Pow(vocabulary.Length, u)) - 1);
                builder.Append(vocabulary[Math.Max(0, rank)]).Append(i % 12 == 11 ? ". " : " ");
            }
            return builder.ToString().Trim();
        }
        for (var d = 0; d * 3 < chunks; d++)
        {
            var markdown = new StringBuilder($"# {Words(5)}\n\n");
            for (var s = 0; s < 3 && d * 3 + s < chunks; s++) markdown.Append($"## {Words(4)}\n\n{Words(90)}\n\n");
            yield return new KnowledgeDocument($"article-{d:D5}.md", "", markdown.ToString(), KnowledgeDocument.Markdown, $"https://help.example.com/article-{d:D5}");
        }
    }

    static string Word(SplitMix random, int i)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var length = 3 + (int)(random.Next() % 8);
        var chars = new char[length];
        for (var c = 0; c < length; c++) chars[c] = letters[(int)(random.Next() % 26)];
        return new string(chars);
    }
}
