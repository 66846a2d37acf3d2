using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.FakeServers.Zendesk;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// <c>vendor-pacing</c>: syncs 1,000 transcripts (ticket lookup + create each) into the Zendesk fake
/// while it enforces a rate limit the way Zendesk does (requests per window, then 429 + Retry-After),
/// with the window scaled so the run takes about a minute. Prints the achieved request rate as a ratio
/// of the limit (goal ≥ 0.9) and the number of 429s received (goal 0 with the limiter set to the limit).
/// Options: <c>--transcripts N</c> (1000), <c>--limit N</c> (100), <c>--window SECONDS</c> (3), <c>--concurrency N</c> (16),
/// <c>--no-limiter</c> (client limiter far above the vendor's, to show the 429s it prevents).
/// </summary>
public static class VendorPacingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var transcripts = Option(args, "--transcripts", 1000);
        var limit = Option(args, "--limit", 100);
        var window = TimeSpan.FromSeconds(Option(args, "--window", 3.0));
        var concurrency = Option(args, "--concurrency", 16);
        var limiter = !args.Contains("--no-limiter");

        await using var fake = new ZendeskFake();
        await fake.StartAsync();
        fake.RateLimit = (limit, window);
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, fake.ApiToken);
        try
        {
            using var services = new ServiceCollection().AddConnectors().BuildServiceProvider();
            var settings = new JsonObject
            {
                ["baseUrl"] = fake.BaseUrl.ToString(), ["email"] = fake.Email, ["apiToken"] = "file:" + secret,
                ["rateLimitRequests"] = limiter ? limit : limit * 100, ["rateLimitWindowSeconds"] = window.TotalSeconds, ["maxRetries"] = 10,
            };
            var file = new JsonObject { ["connectors"] = new JsonArray(new JsonObject { ["id"] = "zendesk-pacing", ["type"] = "zendesk", ["settings"] = settings }) };
            var config = ConnectorsFileParser.Parse(file.ToJsonString(), new ConnectorCatalog(services.GetServices<ConnectorManifest>()), "/");
            var connector = services.GetRequiredService<IConnectorRegistry>().Create(config.Connectors[0]);
            var sink = (ITicketSink)connector;
            var requester = await ((IContactDirectory)connector).FindOrCreateContactAsync(new ContactInfo("p", "Pacing Person", ["pacing@example.test"], [], "verified"));

            var before = fake.Requests.Count;
            var watch = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < transcripts; i = Interlocked.Increment(ref next))
                    await sink.CreateTicketAsync(Packet($"pacing-{i}"), requester);
            }));
            watch.Stop();

            var requests = fake.Requests.Count - before;
            var tickets = fake.Tickets;
            var duplicates = tickets.Count - tickets.Select(t => t.ConversationId).Distinct().Count();
            var rate = requests / watch.Elapsed.TotalSeconds;
            var ratio = rate / (limit / window.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vendor-pacing: transcripts={transcripts} tickets={tickets.Count} duplicates={duplicates} requests={requests} elapsed={watch.Elapsed.TotalSeconds:0.0}s limit={limit}/{window.TotalSeconds:0.###}s rate={rate:0.0}/s ratio={ratio:0.00} 429s={fake.ThrottledCount} limiter={(limiter ? "on" : "off")}"));
            Console.WriteLine(new JsonObject
            {
                ["benchmark"] = "vendor-pacing",
                ["transcripts"] = transcripts,
                ["tickets"] = tickets.Count,
                ["duplicates"] = duplicates,
                ["requests"] = requests,
                ["elapsed_seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 2),
                ["limit_per_second"] = Math.Round(limit / window.TotalSeconds, 3),
                ["rate_per_second"] = Math.Round(rate, 2),
                ["ratio"] = Math.Round(ratio, 3),
                ["throttled_429"] = fake.ThrottledCount,
                ["limiter"] = limiter,
            }.ToJsonString());
            var ok = tickets.Count == transcripts && duplicates == 0 && (!limiter || (ratio >= 0.9 && fake.ThrottledCount == 0));
            return ok ? 0 : 1;
        }
        finally
        {
            File.Delete(secret);
        }
    }

    static HandoffPacket Packet(string conversationId) => new()
    {
        ConversationId = conversationId,
        Channel = "web",
        Contact = new ContactInfo("p", "Pacing Person", ["pacing@example.test"], [], "verified"),
        Transcript = [new TranscriptMessage(1, "customer", "public", "Transcript for " + conversationId, DateTimeOffset.UtcNow)],
    };

    static T Option<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && T.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
