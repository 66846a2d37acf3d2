using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>
/// The hub's <c>eval</c> subcommands. Prints readable lines, then one JSON object as the last line.
/// <list type="bullet">
/// <item><c>intents --data FILE [--oos-intents N | NAMES]</c></item>
/// <item><c>retrieval --docs FILE --queries FILE [--k N]</c></item>
/// <item><c>bot-turn [--chunks N] [--turns N]</c></item>
/// </list>
/// </summary>
public static class EvalCommand
{
    public const string Usage =
        "usage: eval intents --data FILE [--oos-intents N | name,prefix*,...]\n" +
        "       eval retrieval --docs FILE --queries FILE [--k N]\n" +
        "       eval bot-turn [--chunks N] [--turns N]";

    /// <summary>Runs one subcommand (<paramref name="args"/> without the leading <c>eval</c>). Returns 0, or 2 for bad usage or input.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        try
        {
            if (args.Length == 0) throw new EvalUsageException("missing subcommand");
            var flags = Flags(args[1..]);
            JsonObject result = args[0] switch
            {
                "intents" => IntentEvaluation.Run(Required(flags, "data"), flags.GetValueOrDefault("oos-intents"), output),
                "retrieval" => await RetrievalEvaluation.RunAsync(Required(flags, "docs"), Required(flags, "queries"), Int(flags, "k", 5), output, cancellationToken),
                "bot-turn" => await BotTurnBenchmark.RunAsync(Int(flags, "chunks", 5000), Int(flags, "turns", 2000), output, cancellationToken),
                _ => throw new EvalUsageException($"unknown subcommand '{args[0]}'"),
            };
            output.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return 0;
        }
        catch (EvalUsageException e)
        {
            output.WriteLine($"error: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }
    }

    static Dictionary<string, string> Flags(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new EvalUsageException($"expected --name value, got '{args[i]}'");
            flags[args[i][2..]] = args[++i];
        }
        return flags;
    }

    static string Required(Dictionary<string, string> flags, string name) =>
        flags.TryGetValue(name, out var value) ? value : throw new EvalUsageException($"--{name} is required");

    static int Int(Dictionary<string, string> flags, string name, int fallback) =>
        !flags.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, out var value) && value >= 0 ? value
        : throw new EvalUsageException($"--{name} must be a non-negative integer, got '{text}'");
}
