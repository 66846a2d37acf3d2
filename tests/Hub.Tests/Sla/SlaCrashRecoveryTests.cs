using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.FakeServers;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>
/// A hub that dies between recording a warning or breach and running its side effects: the firing is driven through
/// <see cref="SlaService.FireAsync"/> alone (the timer row and event commit, nothing else runs), then the hub is
/// replaced by a new one on the same database. The new hub runs the side effects exactly once: not while the dead
/// firing's lease lasts, then through a later look at the timer or through the sweep, and never again after.
/// </summary>
public abstract class SlaCrashRecoveryTests(string backend)
{
    const string Kind = SlaTimerKinds.FirstResponse;

    [Fact]
    public async Task Warning_CrashAfterTheTimerRowCommitted_LaterLookAfterTheLeaseDeliversItOnce()
    {
        await using var receiver = await WebhookSink.StartAsync();
        // No sweep: the later look at the timer alone must finish the warning.
        await using var loop = await SlaLoopFixture.StartAsync(backend, new Dictionary<string, string?> { ["Hub:Sla:SweepStartSeconds"] = "3600" });
        await loop.PutPolicyAsync(new { queue = "support", firstResponseMinutes = 20, warningPercent = 50, breachActions = new[] { "webhook" } });
        await SubscribeAsync(loop, receiver, "sla.warning");
        var (customer, id) = await loop.CustomerAsync();
        using var _ = customer;
        await loop.HandOffAsync(customer, id);
        await loop.TimerInStateAsync(id, Kind, "running");

        loop.Clock.Advance(TimeSpan.FromMinutes(10));
        var fired = await loop.Hub.Get<SlaService>().FireAsync(id, Kind);
        Assert.True(fired.Warned);
        // The crash: the warning and its event are committed, and the warning is owed; nothing was published.
        Assert.Single(await loop.Store.GetEventsAsync(id), e => e.Kind == SlaEventKinds.Warning);
        Assert.NotNull((await loop.Hub.Get<SqlSlaStore>().OwedAsync(id, Kind)).Warning);
        await loop.RestartAsync();

        // While the dead firing's lease lasts, a look (Quartz's recovery firing, a stale trigger) leaves the warning alone.
        await loop.FireTimerAsync(id, Kind);
        await Task.Delay(1500);
        Assert.Empty(receiver.Received);

        // After the lease (120 s), the next look sends it, with the business time used when it warned.
        loop.Clock.Advance(TimeSpan.FromMinutes(3));
        await loop.FireTimerAsync(id, Kind);
        var warning = await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.FirstOrDefault()), what: "the sla.warning delivery after the restart");
        using (var payload = JsonDocument.Parse(warning.Body))
        {
            Assert.Equal("sla.warning", payload.RootElement.GetProperty("event").GetString());
            Assert.Equal(600, payload.RootElement.GetProperty("data").GetProperty("businessSecondsUsed").GetInt64());
        }
        await Eventually.TrueAsync(async () => (await loop.Hub.Get<SqlSlaStore>().OwedAsync(id, Kind)).Warning is null, what: "the warning to be marked done");

        // More looks, past the new lease too: nothing more is sent, and the timer still runs towards its breach.
        loop.Clock.Advance(TimeSpan.FromMinutes(3));
        await loop.FireTimerAsync(id, Kind);
        await Task.Delay(1500);
        Assert.Single(receiver.Received);
        await loop.TimerInStateAsync(id, Kind, "running");
        Assert.Single(await loop.Store.GetEventsAsync(id), e => e.Kind == SlaEventKinds.Warning);
    }

    [Fact]
    public async Task Breach_CrashAfterTheTimerRowCommitted_SweepRunsEveryBreachActionOnce()
    {
        await using var receiver = await WebhookSink.StartAsync();
        await using var loop = await SlaLoopFixture.StartAsync(backend, new Dictionary<string, string?>
        {
            ["Hub:Sla:SweepStartSeconds"] = "0",
            ["Hub:Sla:SweepSeconds"] = "0.2",
        });
        await loop.PutPolicyAsync(new { queue = "support", firstResponseMinutes = 10, warningPercent = 100, breachActions = new[] { "raise-priority", "internal-note", "webhook" } });
        await SubscribeAsync(loop, receiver, "sla.breach");
        var (customer, id) = await loop.CustomerAsync();
        using var _ = customer;
        var ticketId = await loop.HandOffAsync(customer, id);
        await loop.TimerInStateAsync(id, Kind, "running");

        loop.Clock.Advance(TimeSpan.FromMinutes(10));
        var fired = await loop.Hub.Get<SlaService>().FireAsync(id, Kind);
        Assert.True(fired.Breached);
        Assert.NotNull((await loop.Hub.Get<SqlSlaStore>().OwedAsync(id, Kind)).Breach);
        // The sweep of this hub runs every 0.2 s, but the firing's lease holds: the crash comes before anything ran.
        await Task.Delay(1000);
        Assert.Empty(receiver.Received);
        Assert.DoesNotContain(Ticket(loop, ticketId).Comments, c => c.Body.Contains("SLA breached"));
        await loop.RestartAsync();
        await Task.Delay(1000);
        Assert.Empty(receiver.Received);

        // The lease ends: the new hub's sweep takes the breach over (a breached timer has no trigger left to look again).
        loop.Clock.Advance(TimeSpan.FromMinutes(3));
        var breach = await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.FirstOrDefault()), what: "the sla.breach delivery after the restart");
        using (var payload = JsonDocument.Parse(breach.Body))
        {
            var data = payload.RootElement.GetProperty("data");
            Assert.Equal("sla.breach", payload.RootElement.GetProperty("event").GetString());
            Assert.Equal(600, data.GetProperty("businessSecondsUsed").GetInt64());
            Assert.Equal("high", data.GetProperty("priority").GetString());
        }
        await Eventually.TrueAsync(() => Task.FromResult(Ticket(loop, ticketId).Comments.Any(c => c.Body.Contains("SLA breached"))), what: "the breach note");
        await Eventually.TrueAsync(async () => (await loop.Hub.Get<SqlSlaStore>().OwedAsync(id, Kind)).Breach is null, what: "the breach to be marked done");
        Assert.Equal("high", Ticket(loop, ticketId).Priority);

        // Later sweeps and looks run nothing again.
        loop.Clock.Advance(TimeSpan.FromMinutes(5));
        await loop.FireTimerAsync(id, Kind);
        await Task.Delay(1500);
        Assert.Single(receiver.Received);
        Assert.Single(Ticket(loop, ticketId).Comments, c => c.Body.Contains("SLA breached"));
        var events = await loop.Store.GetEventsAsync(id);
        Assert.Single(events, e => e.Kind == SlaEventKinds.Breached);
        Assert.Single(events, e => e.Kind == SlaEventKinds.Breached + ".priority_raised");
        Assert.Equal("high", (await loop.Store.GetConversationAsync(id))!.Priority);
    }

    static FakeTicket Ticket(SlaLoopFixture loop, string ticketId) => loop.Zendesk.Tickets.Single(t => t.Id == ticketId);

    static async Task SubscribeAsync(SlaLoopFixture loop, WebhookSink receiver, string eventName) =>
        Assert.Equal(HttpStatusCode.Created,
            (await loop.Http.PostAsJsonAsync("/api/admin/webhook-subscriptions", new { url = receiver.Url.ToString(), events = new[] { eventName } })).StatusCode);
}

public sealed class SqliteSlaCrashRecoveryTests() : SlaCrashRecoveryTests("sqlite");

public sealed class PostgresSlaCrashRecoveryTests() : SlaCrashRecoveryTests("postgres");
