using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Benchmarks.Ingest;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Zendesk;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// <c>webhook-relay [--backend sqlite|postgres] [--conversations 16] [--webhooks 2000] [--max-warmups 60]</c>: the Zendesk
/// fake sends signed agent-reply webhooks (over real HTTP, a fresh connection each, as Zendesk does) to
/// the hub, one conversation per concurrent sender, each with its widget's SSE stream open. Measures the
/// acknowledgement latency (verify, de-duplicate, persist, 200) and webhook → widget delivery latency
/// (ack + dispatcher + store + live feed + SSE), and acknowledgements per second.
/// </summary>
internal static class WebhookRelayBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var backend = options.Get("backend", "sqlite");
        var conversations = options.Get("conversations", 16);
        var webhooks = options.Get("webhooks", 2000);
        var maxWarmups = options.Get("max-warmups", 60);

        await using var database = await IngestDatabase.CreateAsync(backend);
        await using var zendesk = new ZendeskFake();
        await zendesk.StartAsync();
        var app = await StartHubAsync(database.ConnectionString, zendesk);
        try
        {
            var address = app.Address;
            var endpoint = new Uri(address, "/api/webhooks/zendesk");
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var widgets = new List<Widget>();
            for (var i = 0; i < conversations; i++) widgets.Add(await OpenWidgetAsync(app, http, address, i));
            Console.WriteLine($"webhook-relay: backend={backend} conversations={conversations} webhooks={webhooks} (processors: {Environment.ProcessorCount})");

            // The JIT settles only after 20-30 s of this load here (13% of the CPU in its own thread until then).
            await JitWarmup.UntilSettledAsync(warmup => MeasureAsync(zendesk, endpoint, widgets, conversations * 25, $"warmup{warmup}"), maxWarmups);
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var (ack, delivery, perSecond) = await MeasureAsync(zendesk, endpoint, widgets, webhooks, "run");
            Console.WriteLine($"{System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore} methods compiled during the measured run");
            Console.WriteLine($"ack:      p50 {ack.Percentile(50):F2} ms  p99 {ack.Percentile(99):F2} ms  ({perSecond:F0} acknowledged webhooks/s)");
            Console.WriteLine($"delivery: p50 {delivery.Percentile(50):F2} ms  p99 {delivery.Percentile(99):F2} ms  (webhook sent → message on the widget's stream)");
            foreach (var widget in widgets) widget.Dispose();
            Console.WriteLine(new JsonObject
            {
                ["benchmark"] = "webhook-relay",
                ["backend"] = backend,
                ["conversations"] = conversations,
                ["webhooks"] = ack.Count,
                ["acks_per_second"] = Math.Round(perSecond, 1),
                ["ack_p50_ms"] = Math.Round(ack.Percentile(50), 3),
                ["ack_p99_ms"] = Math.Round(ack.Percentile(99), 3),
                ["delivery_p50_ms"] = Math.Round(delivery.Percentile(50), 3),
                ["delivery_p99_ms"] = Math.Round(delivery.Percentile(99), 3),
            }.ToJsonString());
            return 0;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Each conversation sends its share one after another; a webhook counts as delivered when its text reaches that widget's stream.</summary>
    static async Task<(LatencyRecorder Ack, LatencyRecorder Delivery, double PerSecond)> MeasureAsync(
        ZendeskFake zendesk, Uri endpoint, List<Widget> widgets, int count, string tag)
    {
        var ack = new LatencyRecorder();
        var delivery = new LatencyRecorder();
        var perWidget = count / widgets.Count;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(widgets.Select((widget, w) => Task.Run(async () =>
        {
            for (var i = 0; i < perWidget; i++)
            {
                var text = $"{tag}-{w}-{i}";
                var seen = widget.Expect(text);
                var started = Stopwatch.GetTimestamp();
                using var response = await zendesk.SendWebhookAsync(endpoint, FakeWebhookKind.AgentPublicReply, widget.TicketId, text);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                ack.Add(Stopwatch.GetElapsedTime(started));
                var arrived = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
                delivery.Add(Stopwatch.GetElapsedTime(started, arrived));
            }
        })));
        return (ack, delivery, perWidget * widgets.Count / clock.Elapsed.TotalSeconds);
    }

    /// <summary>A visitor's conversation linked to a Zendesk ticket, with its SSE stream read in the background.</summary>
    sealed class Widget(string ticketId, HttpResponseMessage stream) : IDisposable
    {
        readonly ConcurrentDictionary<string, TaskCompletionSource<long>> expected = new();

        public string TicketId => ticketId;

        public TaskCompletionSource<long> Expect(string text) =>
            expected.GetOrAdd(text, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task ReadAsync()
        {
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var now = Stopwatch.GetTimestamp();
                if (JsonNode.Parse(line[6..])?["body"]?.GetValue<string>() is { } body && expected.TryRemove(body, out var waiter)) waiter.TrySetResult(now);
            }
        }

        public void Dispose() => stream.Dispose();
    }

    static async Task<Widget> OpenWidgetAsync(BenchmarkHub app, HttpClient http, Uri hub, int index)
    {
        var session = (await (await http.PostAsJsonAsync(new Uri(hub, "/api/webchat/sessions"), new { siteId = "web" })).Content.ReadFromJsonAsync<SessionResponse>())!;
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(hub, "/api/webchat/conversations"));
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var conversation = (await (await http.SendAsync(create)).Content.ReadFromJsonAsync<ConversationResponse>())!;

        // The ticket a handoff would have created, made through the connector against the fake (requester: the fake's user 1).
        var sink = app.Services.GetRequiredService<IConnectorRegistry>().Get<ITicketSink>("zendesk");
        var packet = new HandoffPacket
        {
            ConversationId = conversation.Id,
            Channel = "webchat",
            Contact = new ContactInfo($"bench-{index}", "Bench", [], [], "anonymous"),
            Transcript = [new TranscriptMessage(1, "customer", "public", "I need a person", DateTimeOffset.UtcNow)],
        };
        var ticket = await sink.CreateTicketAsync(packet, new ContactReference("zendesk", "1"));
        await app.Services.GetRequiredService<IConversationStore>().LinkTicketAsync(conversation.Id, ticket);

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub, $"/api/webchat/conversations/{conversation.Id}/events?token={Uri.EscapeDataString(session.VisitorToken)}"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var widget = new Widget(ticket.ExternalId, response);
        _ = Task.Run(widget.ReadAsync);
        return widget;
    }

    /// <summary>The hub with web chat and a Zendesk connector on the fake.</summary>
    static Task<BenchmarkHub> StartHubAsync(string connectionString, ZendeskFake zendesk)
    {
        Environment.SetEnvironmentVariable("BENCH_ZD_TOKEN", zendesk.ApiToken);
        Environment.SetEnvironmentVariable("BENCH_ZD_SIGNING", zendesk.SigningSecret);
        return BenchmarkHub.StartAsync(connectionString, $$"""
            { "connectors": [
              { "id": "web", "type": "webchat", "settings": {} },
              { "id": "zendesk", "type": "zendesk", "settings": { "baseUrl": "{{zendesk.BaseUrl}}", "email": "{{zendesk.Email}}",
                "apiToken": "env:BENCH_ZD_TOKEN", "webhookSigningSecret": "env:BENCH_ZD_SIGNING" } } ] }
            """);
    }
}
