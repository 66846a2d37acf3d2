using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.FakeServers.Zendesk;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>
/// The helpdesk loop on a clock the test moves: a hub on a real port (web chat, built-in bot, Zendesk connector
/// "zendesk-eu" on the Zendesk fake, handoffs routed to its "support" queue), with every hub service on <see cref="Clock"/>.
/// </summary>
/// <remarks>
/// Quartz keeps its own (real) clock: timers booked at fake instants ahead of real time do not fire by themselves
/// during a test, so tests fire a timer's job through Quartz (<see cref="FireTimerAsync"/>) after moving the clock.
/// </remarks>
internal sealed class SlaLoopFixture : IAsyncDisposable
{
    public ZendeskFake Zendesk { get; } = new();
    // Whole seconds, so instants read back from either database (PostgreSQL keeps microseconds) compare exactly.
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    public HubFactory Hub { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IConversationStore Store => Hub.Get<IConversationStore>();

    TestDatabase database = null!;
    string connectors = "";
    Dictionary<string, string?> settings = [];

    public static async Task<SlaLoopFixture> StartAsync(string backend, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var fixture = new SlaLoopFixture();
        await fixture.Zendesk.StartAsync();
        var (connectors, settings) = Helpdesk.HelpdeskFixture.ZendeskHub(fixture.Zendesk, "HUB_TEST_SLA_ZD");
        // The fake signs with the real time; the hub checks it against the moved clock.
        settings["Hub:Webhooks:ReplayWindowSeconds"] = "86400";
        settings["Hub:OutboundWebhooks:PollSeconds"] = "0.1";
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        (fixture.connectors, fixture.settings) = (connectors, settings);
        fixture.database = await TestDatabase.CreateAsync(backend);
        await fixture.StartHubAsync();
        return fixture;
    }

    async Task StartHubAsync()
    {
        Hub = await HubFactory.CreateAsync(database.Backend, connectors: connectors, kestrel: true, settings: settings, sharedDatabase: database,
            services: s => s.AddSingleton<TimeProvider>(Clock));
        Http = new HttpClient { BaseAddress = Hub.ServerAddress };
    }

    /// <summary>
    /// Stops the hub and starts another on the same database, clock and Zendesk fake: what it committed is all that is left,
    /// as after a crash once the work in flight is abandoned.
    /// </summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await Hub.DisposeAsync();
        await StartHubAsync();
    }

    Uri WebhookEndpoint => new(Hub.ServerAddress, "/api/webhooks/zendesk-eu");

    public async Task PutPolicyAsync(object policy) => (await Http.PutAsJsonAsync("/api/admin/sla/policies/support", policy)).EnsureSuccessStatusCode();

    /// <summary>A visitor with an email and an open conversation.</summary>
    public async Task<(HttpClient Client, string ConversationId)> CustomerAsync()
    {
        var client = new HttpClient { BaseAddress = Hub.ServerAddress };
        var response = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user = new { email = "jane@example.test", name = "Jane Doe" } });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var created = await client.PostAsync("/api/webchat/conversations", null);
        return (client, (await created.Content.ReadFromJsonAsync<ConversationResponse>())!.Id);
    }

    public static async Task SayAsync(HttpClient client, string conversationId, string text) =>
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/webchat/conversations/{conversationId}/messages", new { text })).StatusCode);

    /// <summary>Asks for a person: the bot hands off to the support queue; returns the Zendesk ticket id once the ticket is linked.</summary>
    public async Task<string> HandOffAsync(HttpClient client, string conversationId)
    {
        await SayAsync(client, conversationId, "I want to talk to a real person");
        await Eventually.TrueAsync(async () => (await Store.GetConversationAsync(conversationId))!.Mode == ConversationMode.Queued, what: "the handoff");
        var ticket = await Eventually.ValueAsync(async () => (await Store.GetConversationAsync(conversationId))!.Tickets.FirstOrDefault(), what: "the handoff ticket");
        return ticket.ExternalId;
    }

    /// <summary>The conversation's SLA timers as the admin API shows them, by kind.</summary>
    public async Task<Dictionary<string, JsonElement>> TimersAsync(string conversationId) =>
        (await Http.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{conversationId}/sla"))
        .EnumerateArray().ToDictionary(t => t.GetProperty("kind").GetString()!, t => t.Clone());

    /// <summary>Waits until the timer of <paramref name="kind"/> is in <paramref name="state"/>, and returns it.</summary>
    public async Task<JsonElement> TimerInStateAsync(string conversationId, string kind, string state)
    {
        string last = "none";
        try
        {
            return await Eventually.ValueAsync<object>(async () =>
            {
                var timers = await TimersAsync(conversationId);
                if (!timers.TryGetValue(kind, out var timer)) return null;
                last = timer.GetRawText();
                return timer.GetProperty("state").GetString() == state ? timer : null;
            }, what: $"the {kind} timer to be {state}") is JsonElement found ? found : default;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen: {last}", e);
        }
    }

    public async Task AgentReplyAsync(string ticketId, string text) =>
        Assert.Equal(HttpStatusCode.OK, (await Zendesk.SendWebhookAsync(WebhookEndpoint, FakeServers.FakeWebhookKind.AgentPublicReply, ticketId, text)).StatusCode);

    public async Task SolvedAsync(string ticketId) =>
        Assert.Equal(HttpStatusCode.OK, (await Zendesk.SendWebhookAsync(WebhookEndpoint, FakeServers.FakeWebhookKind.StatusSolved, ticketId, "")).StatusCode);

    /// <summary>
    /// A Zendesk <c>ticket.status_changed</c> event to <paramref name="status"/> (e.g. PENDING, HOLD, OPEN), signed as Zendesk signs
    /// (base64 HMAC-SHA256 of timestamp + body with the webhook's signing secret) and posted to the hub's webhook endpoint.
    /// </summary>
    public async Task StatusAsync(string ticketId, string conversationId, string status)
    {
        var envelope = new JsonObject
        {
            ["type"] = "zen:event-type:ticket.status_changed",
            ["account_id"] = 12345,
            ["id"] = Guid.NewGuid().ToString(),
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["zendesk_event_version"] = "2022-06-20",
            ["subject"] = $"zen:ticket:{ticketId}",
            ["detail"] = new JsonObject { ["id"] = ticketId, ["external_id"] = conversationId, ["status"] = status },
            ["event"] = new JsonObject { ["current"] = status },
        };
        var body = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Zendesk.SigningSecret), Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray()));
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookEndpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Zendesk-Webhook-Signature", signature);
        request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        using var http = new HttpClient();
        var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"status webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Books the timer's look for now in Quartz's (real) time; the job reads the moved clock. Callers wait for its effect.
    /// A booking, not Quartz's TriggerJob: a timer's job goes with its last trigger, and the fake clock's instants may
    /// already have fired it.
    /// </summary>
    public Task FireTimerAsync(string conversationId, string kind) =>
        Hub.Get<IntegrationHub.Hub.Sla.SlaTimerScheduler>().ScheduleAsync(conversationId, kind, DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Hub.DisposeAsync();
        await database.DisposeAsync();
        await Zendesk.DisposeAsync();
    }
}
