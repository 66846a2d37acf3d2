using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Benchmarks.Ingest;

/// <summary>
/// <c>ingest --backend sqlite|postgres [--clients 32] [--messages 12000] [--rounds 2] [--only hub|baseline]</c>:
/// concurrent HTTP clients POST customer messages to the hub's web chat endpoint (token check,
/// origin, rate limiter, validation, dedupe, per-conversation sequence under a row lock, durable
/// group commit, live fan-out, automation wake-up) and, with the same client and database, to a
/// bare endpoint that only group-commits the same rows. Rounds alternate; the best round of each counts.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var backend = options.Get("backend", "sqlite");
        var clients = options.Get("clients", 32);
        var messages = options.Get("messages", 12_000);
        var rounds = options.Get("rounds", 2);
        // For a profiler: measure one side only (no ratio).
        var only = options.Get("only", "");

        await using var database = await IngestDatabase.CreateAsync(backend);
        await using var hub = await BenchmarkHub.StartAsync(database.ConnectionString, """{ "connectors": [ { "id": "web", "type": "webchat", "settings": {} } ] }""");
        await using var baseline = await BaselineServer.StartAsync(database.ConnectionString, backend == "postgres");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) });

        // Separate conversations for each side, so their sequence numbers never meet.
        var visitors = await CreateVisitorsAsync(http, hub.Address, clients);
        var baselineVisitors = await CreateVisitorsAsync(http, hub.Address, clients);
        Console.WriteLine($"ingest: backend={backend} clients={clients} messages/round={messages} rounds={rounds} (processors: {Environment.ProcessorCount})");

        // Warm both paths (connection pools, SQLite WAL, and above all the JIT) before measuring. Tiered compilation
        // recompiles hot methods in the background for many seconds, and the hub has far more code to recompile than
        // the bare endpoint: measuring before it settles compares a half-compiled hub with a compiled baseline.
        await JitWarmup.UntilSettledAsync(async warmup =>
        {
            await MeasureAsync(http, visitors, clients * 60, $"warmup{warmup}-h", v => Hub(hub.Address, v));
            if (only != "hub") await MeasureAsync(http, baselineVisitors, clients * 60, $"warmup{warmup}-b", v => Baseline(baseline.Address, v));
        }, maxRounds: 40);

        Result? bestHub = null, bestBaseline = null;
        for (var round = 1; round <= rounds; round++)
        {
            var b = only == "hub" ? null : await MeasureAsync(http, baselineVisitors, messages, $"b{round}", v => Baseline(baseline.Address, v));
            if (b is not null) Print($"round {round} baseline", b);
            var h = only == "baseline" ? null : await MeasureAsync(http, visitors, messages, $"h{round}", v => Hub(hub.Address, v));
            if (h is not null) Print($"round {round} hub     ", h);
            if (h is not null && (bestHub is null || h.PerSecond > bestHub.PerSecond)) bestHub = h;
            if (b is not null && (bestBaseline is null || b.PerSecond > bestBaseline.PerSecond)) bestBaseline = b;
        }
        if (bestHub is null || bestBaseline is null) return 0;

        var ratio = bestHub!.PerSecond / bestBaseline!.PerSecond;
        Console.WriteLine($"hub {bestHub.PerSecond:F0} msg/s (p50 {bestHub.P50:F2} ms, p99 {bestHub.P99:F2} ms) vs baseline {bestBaseline.PerSecond:F0} msg/s (p50 {bestBaseline.P50:F2} ms, p99 {bestBaseline.P99:F2} ms): ratio {ratio:F2}");
        Console.WriteLine(new JsonObject
        {
            ["benchmark"] = "ingest",
            ["backend"] = backend,
            ["clients"] = clients,
            ["messages_per_round"] = messages,
            ["hub"] = bestHub.ToJson(),
            ["baseline"] = bestBaseline.ToJson(),
            ["ratio"] = Math.Round(ratio, 3),
        }.ToJsonString());
        return 0;
    }

    sealed record Visitor(string Token, string ConversationId);

    /// <param name="CpuMicroseconds">This process's CPU time per message (client, server and driver; not the database's):
    /// steadier than the rate on a busy machine, so it shows what a change costs.</param>
    sealed record Result(double PerSecond, double P50, double P99, int Count, double CpuMicroseconds)
    {
        public JsonObject ToJson() => new()
        {
            ["messages_per_second"] = Math.Round(PerSecond, 1),
            ["p50_ms"] = Math.Round(P50, 3),
            ["p99_ms"] = Math.Round(P99, 3),
            ["messages"] = Count,
            ["process_cpu_us_per_message"] = Math.Round(CpuMicroseconds, 1),
        };
    }

    static void Print(string label, Result r) =>
        Console.WriteLine($"{label}: {r.PerSecond,8:F0} msg/s  p50 {r.P50,6:F2} ms  p99 {r.P99,6:F2} ms  process CPU {r.CpuMicroseconds,5:F0} µs/msg");

    static HttpRequestMessage Hub(Uri address, (Visitor Visitor, string ClientId)  m)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/api/webchat/conversations/{m.Visitor.ConversationId}/messages"))
        {
            Content = JsonContent.Create(new { text = "Hello, I would like to know where my order is.", clientMessageId = m.ClientId }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", m.Visitor.Token);
        return request;
    }

    static HttpRequestMessage Baseline(Uri address, (Visitor Visitor, string ClientId) m) =>
        new(HttpMethod.Post, new Uri(address, $"/messages/{m.Visitor.ConversationId}"))
        {
            Content = JsonContent.Create(new { text = "Hello, I would like to know where my order is.", clientMessageId = m.ClientId }),
        };

    /// <summary>Each client sends its share one after another (closed loop), as a chatting visitor would, only faster.</summary>
    static async Task<Result> MeasureAsync(HttpClient http, List<Visitor> visitors, int count, string tag, Func<(Visitor, string), HttpRequestMessage> target)
    {
        var latencies = new LatencyRecorder();
        var perClient = count / visitors.Count;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(visitors.Select((visitor, c) => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(target((visitor, $"{tag}-{c}-{i}")));
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                latencies.Add(Stopwatch.GetElapsedTime(started));
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var sent = perClient * visitors.Count;
        var cpuPerMessage = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / sent;
        return new Result(sent / seconds, latencies.Percentile(50), latencies.Percentile(99), latencies.Count, cpuPerMessage);
    }

    static async Task<List<Visitor>> CreateVisitorsAsync(HttpClient http, Uri hub, int count)
    {
        var visitors = new List<Visitor>();
        for (var i = 0; i < count; i++)
        {
            var session = (await (await http.PostAsJsonAsync(new Uri(hub, "/api/webchat/sessions"), new { siteId = "web" })).Content.ReadFromJsonAsync<SessionResponse>())!;
            using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(hub, "/api/webchat/conversations"));
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
            var conversation = (await (await http.SendAsync(create)).Content.ReadFromJsonAsync<ConversationResponse>())!;
            visitors.Add(new Visitor(session.VisitorToken, conversation.Id));
        }
        return visitors;
    }
}
