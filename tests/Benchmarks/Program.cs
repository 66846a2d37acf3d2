using IntegrationHub.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- NAME [options]
// Each benchmark prints readable lines, then one JSON object with its figures as the last line.
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>
{
    ["ingest"] = IntegrationHub.Benchmarks.Ingest.IngestBenchmark.RunAsync,
    ["vendor-pacing"] = VendorPacingBenchmark.RunAsync,
    ["timers"] = IntegrationHub.Benchmarks.Timers.TimersBenchmark.RunAsync,
    ["webhook-relay"] = WebhookRelayBenchmark.RunAsync,
    // The bot's own turn latency; the same code as `dotnet run --project src/Hub -- eval bot-turn`.
    ["bot-turn"] = a => IntegrationHub.Bot.Evaluation.EvalCommand.RunAsync(["bot-turn", .. a], Console.Out),
};
if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project tests/Benchmarks -- <{string.Join("|", benchmarks.Keys)}> [options]");
    return 2;
}
return await run(args[1..]);
