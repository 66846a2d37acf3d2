using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Support;
using IntegrationHub.FakeServers;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>
/// SLA timers driven end to end by the helpdesk loop on a moved clock: the handoff starts them, the agent's reply
/// (a signed Zendesk webhook) meets first and next response, a pending or on-hold ticket pauses them, the customer's
/// message or an open ticket resumes them, solving meets resolution and reopening resumes it; warnings and breaches
/// reach a signed outbound webhook once.
/// </summary>
public abstract class SlaLoopTests(string backend)
{
    static long Used(JsonElement timer) => timer.GetProperty("consumedSeconds").GetInt64();

    [Fact]
    public async Task HelpdeskWebhooks_DriveEveryTimer_PausedTimeNeverCounts()
    {
        await using var loop = await SlaLoopFixture.StartAsync(backend);
        await loop.PutPolicyAsync(new { queue = "support", firstResponseMinutes = 10, nextResponseMinutes = 5, resolutionMinutes = 60, warningPercent = 80 });
        var (customer, id) = await loop.CustomerAsync();
        using var _ = customer;

        var ticketId = await loop.HandOffAsync(customer, id);
        await loop.TimerInStateAsync(id, "first_response", "running");
        await loop.TimerInStateAsync(id, "resolution", "running");

        // The agent answers 2 minutes later: first response met with 120 s used; no next-response timer yet.
        loop.Clock.Advance(TimeSpan.FromMinutes(2));
        await loop.AgentReplyAsync(ticketId, "Hi Jane, looking into it.");
        Assert.Equal(120, Used(await loop.TimerInStateAsync(id, "first_response", "met")));
        await Eventually.TrueAsync(async () => (await loop.Store.GetConversationAsync(id))!.Mode == ConversationMode.Human, what: "human mode");
        Assert.False((await loop.TimersAsync(id)).ContainsKey("next_response"));

        // The agent sets the ticket to pending (waiting on the customer): the resolution clock stops at 2 minutes.
        await loop.StatusAsync(ticketId, id, "PENDING");
        Assert.Equal(120, Used(await loop.TimerInStateAsync(id, "resolution", "paused")));

        // Half an hour of waiting on the customer counts for nothing; the customer's reply resumes the resolution
        // clock and starts the next-response clock.
        loop.Clock.Advance(TimeSpan.FromMinutes(30));
        await SlaLoopFixture.SayAsync(customer, id, "Here is my order number");
        await loop.TimerInStateAsync(id, "resolution", "running");
        var next = await loop.TimerInStateAsync(id, "next_response", "running");
        Assert.Equal(loop.Clock.GetUtcNow().AddMinutes(5), next.GetProperty("dueAt").GetDateTimeOffset());

        // On hold for 10 minutes after 1 minute: both pause, and "open" resumes them with 1 minute more used.
        loop.Clock.Advance(TimeSpan.FromMinutes(1));
        await loop.StatusAsync(ticketId, id, "HOLD");
        Assert.Equal(60, Used(await loop.TimerInStateAsync(id, "next_response", "paused")));
        Assert.Equal(180, Used(await loop.TimerInStateAsync(id, "resolution", "paused")));
        loop.Clock.Advance(TimeSpan.FromMinutes(10));
        await loop.StatusAsync(ticketId, id, "OPEN");
        next = await loop.TimerInStateAsync(id, "next_response", "running");
        Assert.Equal(loop.Clock.GetUtcNow().AddMinutes(4), next.GetProperty("dueAt").GetDateTimeOffset());
        await loop.TimerInStateAsync(id, "resolution", "running");

        // The agent answers after 2 more minutes: next response met at 3 minutes.
        loop.Clock.Advance(TimeSpan.FromMinutes(2));
        await loop.AgentReplyAsync(ticketId, "Found it, it ships today.");
        Assert.Equal(180, Used(await loop.TimerInStateAsync(id, "next_response", "met")));

        // Solved: resolution met at 2 + 1 + 2 = 5 minutes. Reopened: it counts again from there.
        loop.Clock.Advance(TimeSpan.FromMinutes(1));
        await loop.SolvedAsync(ticketId);
        Assert.Equal(360, Used(await loop.TimerInStateAsync(id, "resolution", "met")));
        loop.Clock.Advance(TimeSpan.FromHours(3));
        await loop.StatusAsync(ticketId, id, "OPEN");
        var reopened = await loop.TimerInStateAsync(id, "resolution", "running");
        Assert.Equal(loop.Clock.GetUtcNow().AddMinutes(54), reopened.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("met", (await loop.TimersAsync(id))["first_response"].GetProperty("state").GetString());
        Assert.Equal(ConversationMode.Human, (await loop.Store.GetConversationAsync(id))!.Mode);
    }

    [Fact]
    public async Task WarningAndBreach_WebhookAction_SignedEventsDeliveredOnce()
    {
        await using var receiver = await WebhookSink.StartAsync();
        await using var loop = await SlaLoopFixture.StartAsync(backend);
        await loop.PutPolicyAsync(new { queue = "support", firstResponseMinutes = 10, warningPercent = 50, breachActions = new[] { "webhook", "internal-note" } });
        var subscribed = await loop.Http.PostAsJsonAsync("/api/admin/webhook-subscriptions", new { url = receiver.Url.ToString(), events = new[] { "sla.warning", "sla.breach" } });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var secret = (await subscribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var (customer, id) = await loop.CustomerAsync();
        using var _ = customer;
        var ticketId = await loop.HandOffAsync(customer, id);
        await loop.TimerInStateAsync(id, "first_response", "running");

        loop.Clock.Advance(TimeSpan.FromMinutes(5));
        await loop.FireTimerAsync(id, "first_response");
        var warning = await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.FirstOrDefault()), what: "the sla.warning delivery");
        AssertSigned(warning, secret, receiver.Url);
        Assert.Equal("sla.warning", warning.Headers["X-Hub-Event"]);
        using (var payload = JsonDocument.Parse(warning.Body))
        {
            var root = payload.RootElement;
            Assert.Equal("sla.warning", root.GetProperty("event").GetString());
            Assert.Equal(id, root.GetProperty("conversationId").GetString());
            var data = root.GetProperty("data");
            Assert.Equal("first_response", data.GetProperty("kind").GetString());
            Assert.Equal("support", data.GetProperty("policy").GetString());
            Assert.Equal(10, data.GetProperty("targetMinutes").GetInt64());
            Assert.Equal(300, data.GetProperty("businessSecondsUsed").GetInt64());
            Assert.Equal("support", data.GetProperty("queue").GetString());
        }

        loop.Clock.Advance(TimeSpan.FromMinutes(5));
        await loop.FireTimerAsync(id, "first_response");
        var breach = await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.Skip(1).FirstOrDefault()), what: "the sla.breach delivery");
        AssertSigned(breach, secret, receiver.Url);
        Assert.Equal("sla.breach", breach.Headers["X-Hub-Event"]);
        using (var payload = JsonDocument.Parse(breach.Body))
        {
            var data = payload.RootElement.GetProperty("data");
            Assert.Equal("first_response", data.GetProperty("kind").GetString());
            Assert.Equal(600, data.GetProperty("businessSecondsUsed").GetInt64());
            Assert.Equal(loop.Clock.GetUtcNow(), data.GetProperty("breachedAt").GetDateTimeOffset());
            Assert.Contains("webhook", data.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        }
        // The other breach action reached the ticket, once.
        await Eventually.TrueAsync(() => Task.FromResult(loop.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments.Any(c => c.Body.Contains("SLA breached"))), what: "the breach note");
        // Later looks (a stale trigger, another node) find the timer breached and do nothing.
        await loop.FireTimerAsync(id, "first_response");
        loop.Clock.Advance(TimeSpan.FromMinutes(5));
        await loop.FireTimerAsync(id, "first_response");
        await Task.Delay(1500);
        Assert.Equal(2, receiver.Received.Count);
        Assert.Single(loop.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments, c => c.Body.Contains("SLA breached"));
        // Both were marked done by the firings that ran them: nothing is left owed for the sweep to run again.
        Assert.Equal((null, null), await loop.Hub.Get<IntegrationHub.Hub.Storage.SqlSlaStore>().OwedAsync(id, "first_response"));
    }

    [Fact]
    public async Task Breach_PolicyWithoutWebhookAction_NoBreachEvent()
    {
        await using var receiver = await WebhookSink.StartAsync();
        await using var loop = await SlaLoopFixture.StartAsync(backend);
        await loop.PutPolicyAsync(new { queue = "support", firstResponseMinutes = 10, warningPercent = 100, breachActions = new[] { "raise-priority" } });
        (await loop.Http.PostAsJsonAsync("/api/admin/webhook-subscriptions", new { url = receiver.Url.ToString(), events = new[] { "sla.breach" } })).EnsureSuccessStatusCode();
        var (customer, id) = await loop.CustomerAsync();
        using var _ = customer;
        await loop.HandOffAsync(customer, id);
        await loop.TimerInStateAsync(id, "first_response", "running");

        loop.Clock.Advance(TimeSpan.FromMinutes(10));
        await loop.FireTimerAsync(id, "first_response");

        await loop.TimerInStateAsync(id, "first_response", "breached");
        await Eventually.TrueAsync(async () => (await loop.Store.GetEventsAsync(id)).Any(e => e.Kind == "sla.breached.priority_raised"), what: "the raised priority");
        await Task.Delay(500);
        Assert.Empty(receiver.Received);
    }

    static void AssertSigned(RecordedRequest delivery, string secret, Uri url)
    {
        var request = WebhookRequest.Create("POST", url, delivery.Headers, delivery.Body);
        Assert.True(HubWebhookSignature.Verify(request, secret).Valid, "signature does not verify with the subscription's secret");
        Assert.False(HubWebhookSignature.Verify(request, secret + "x").Valid);
    }
}

public sealed class SqliteSlaLoopTests() : SlaLoopTests("sqlite");

public sealed class PostgresSlaLoopTests() : SlaLoopTests("postgres");
