using System.Text.Json.Nodes;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary><c>IntegrationHub.Hub eval …</c> runs the bot's evaluations instead of the web host.</summary>
public sealed class EvalDispatchTests
{
    static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    static JsonObject LastLine(string output) => JsonNode.Parse(output.TrimEnd().Split('\n')[^1])!.AsObject();

    [Fact]
    public async Task Eval_Intents_PrintsMetricsJsonAndNeverStartsTheHost()
    {
        var (exitCode, output, errors) = await HubProcess.RunEvalAsync(["intents", "--data", Data("eval-intents.jsonl")]);

        Assert.True(exitCode == 0, output + errors);
        var json = LastLine(output);
        foreach (var key in new[] { "accuracy", "macro_f1", "oos_recall", "oos_precision", "train_seconds", "p50_us", "p99_us" })
            Assert.True(json.ContainsKey(key), $"{key} missing in {json.ToJsonString()}");
        Assert.True(json["accuracy"]!.GetValue<double>() >= 0.75, json.ToJsonString());
        Assert.DoesNotContain("Now listening", output);
    }

    [Fact]
    public async Task Eval_Retrieval_PrintsRankingMetrics()
    {
        var (exitCode, output, errors) = await HubProcess.RunEvalAsync(["retrieval", "--docs", Data("eval-docs.jsonl"), "--queries", Data("eval-queries.jsonl")]);

        Assert.True(exitCode == 0, output + errors);
        var json = LastLine(output);
        Assert.True(json["mrr@10"]!.GetValue<double>() >= 0.75, json.ToJsonString());
        Assert.True(json.ContainsKey("hit@1") && json.ContainsKey("hit@5") && json.ContainsKey("recall@5") && json.ContainsKey("p99_us"));
    }

    [Fact]
    public async Task Eval_RelativeDataPath_ResolvedFromTheCallersDirectory()
    {
        // As `dotnet run --project src/Hub -- eval …` from the repository root: the shell's PWD is where paths start.
        var (exitCode, output, errors) = await HubProcess.RunEvalAsync(["intents", "--data", "Data/eval-intents.jsonl"], pwd: AppContext.BaseDirectory, workingDirectory: Path.GetTempPath());

        Assert.True(exitCode == 0, output + errors);
        Assert.Equal(3, LastLine(output)["intents"]!.GetValue<int>());
    }

    [Fact]
    public async Task Eval_UnknownSubcommand_ExitCode2WithUsage()
    {
        var (exitCode, output, _) = await HubProcess.RunEvalAsync(["nonsense"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown subcommand 'nonsense'", output);
        Assert.Contains("usage: eval intents --data FILE", output);
    }
}
