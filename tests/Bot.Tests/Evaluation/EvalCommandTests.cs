using System.Text.Json.Nodes;
using IntegrationHub.Bot.Evaluation;

namespace IntegrationHub.Bot.Tests.Evaluation;

public class EvalCommandTests
{
    static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    internal static async Task<(int Code, JsonObject? Json, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var code = await EvalCommand.RunAsync(args, output);
        var last = output.ToString().TrimEnd().Split('\n')[^1];
        return (code, code == 0 ? JsonNode.Parse(last)!.AsObject() : null, output.ToString());
    }

    [Fact]
    public async Task RunAsync_IntentsOnSample_PrintsMetricsJsonLast()
    {
        var (code, json, _) = await Run("intents", "--data", Data("hwu64-sample.jsonl"), "--oos-intents", "2");

        Assert.Equal(0, code);
        foreach (var key in new[] { "accuracy", "macro_f1", "oos_recall", "oos_precision", "train_seconds", "p50_us", "p99_us" })
            Assert.True(json!.ContainsKey(key), key);
        Assert.True(json!["accuracy"]!.GetValue<double>() > 0.7);
        Assert.Equal(9, json["intents"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunAsync_IntentsWithNamedUnseenIntents_HoldsOutExactlyThose()
    {
        var (code, json, output) = await Run("intents", "--data", Data("hwu64-sample.jsonl"), "--oos-intents", "alarm_*, weather_query");

        Assert.Equal(0, code);
        Assert.Equal(9, json!["intents"]!.GetValue<int>());
        Assert.Contains("2 held out as out-of-scope", output);
        // Held-out scenarios share no vocabulary with what was trained: confidence must separate them better than chance.
        Assert.InRange(json["oos_auroc"]!.GetValue<double>(), 0.6, 1);
    }

    [Theory]
    [InlineData("nosuch_*", "'nosuch_*' matches no intent")]
    [InlineData("-1", "must be a count or intent names")]
    [InlineData("11", "leaves no intent to train")]
    [InlineData("alarm_*,c*,e*,i*,l*,n*,q*,t*,w*", "leaves no intent to train")]
    public async Task RunAsync_IntentsWithBadUnseenSpec_ExitsWithTwoAndSaysWhy(string spec, string why)
    {
        var (code, _, output) = await Run("intents", "--data", Data("hwu64-sample.jsonl"), "--oos-intents", spec);

        Assert.Equal(2, code);
        Assert.Contains(why, output);
    }

    [Fact]
    public async Task RunAsync_RetrievalOnSmallFaq_PrintsRankingMetrics()
    {
        var (code, json, _) = await Run("retrieval", "--docs", Data("faq-docs.jsonl"), "--queries", Data("faq-queries.jsonl"));

        Assert.Equal(0, code);
        Assert.True(json!["hit@1"]!.GetValue<double>() >= 0.75, json.ToJsonString());
        Assert.True(json["mrr@10"]!.GetValue<double>() >= 0.8);
        foreach (var key in new[] { "hit@1", "hit@5", "recall@5", "mrr@10", "p50_us", "p99_us" })
            Assert.True(json.ContainsKey(key), key);
        Assert.InRange(json["recall@5"]!.GetValue<double>(), 0.5, 1);
        Assert.True(json["p50_us"]!.GetValue<double>() > 0 && json["p50_us"]!.GetValue<double>() <= json["p99_us"]!.GetValue<double>());
    }

    [Fact]
    public async Task RunAsync_BotTurnSmall_ReportsLatency()
    {
        var (code, json, _) = await Run("bot-turn", "--chunks", "300", "--turns", "50");

        Assert.Equal(0, code);
        Assert.True(json!["chunks"]!.GetValue<int>() >= 300);
        Assert.True(json["classify_retrieve_p99_us"]!.GetValue<double>() > 0);
    }

    [Theory]
    [InlineData("intents")]
    [InlineData("retrieval", "--docs", "x.jsonl")]
    [InlineData("frobnicate")]
    [InlineData("intents", "--data", "/nonexistent.jsonl")]

    public async Task RunAsync_BadUsage_ExitsWithTwoAndSaysWhy(params string[] args)
    {
        var (code, _, output) = await Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", output);
    }
}
