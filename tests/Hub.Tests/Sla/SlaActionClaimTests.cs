using System.Collections.Concurrent;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.OutboundWebhooks;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>
/// The side effects a warning or breach owes, on each backend: recorded in the commit of the timer row and its event,
/// held by the firing for its lease, taken over by exactly one node after it, retried after a failure.
/// </summary>
public abstract class SlaActionClaimTests(string backend)
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Breach_OwedFromItsCommit_OneNodeTakesItOverAfterTheLease()
    {
        await using var database = await TestDatabase.CreateAsync(backend);
        var dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        await Migrations.ApplyAsync(dialect);
        var clock = new TestClock(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var store = new SqlConversationStore(dialect, clock, NullLogger<SqlConversationStore>.Instance);
        var conversationId = await RunningTimerAsync(store, new SqlSlaStore(dialect, clock), clock.GetUtcNow(), warningPercent: 100);
        var service = new SlaService(new SqlSlaStore(dialect, clock), clock, Options.Create(new SlaOptions { ActionLeaseSeconds = Lease.TotalSeconds }));

        clock.Advance(TimeSpan.FromMinutes(10));
        var fired = await service.FireAsync(conversationId, SlaTimerKinds.FirstResponse);
        var held = Assert.Single(fired.Claims!);
        Assert.Equal(SlaActionKind.Breach, held.Action);
        Assert.Single(await store.GetEventsAsync(conversationId), e => e.Kind == SlaEventKinds.Breached);
        Assert.Equal(held.LeaseUntil, (await new SqlSlaStore(dialect, clock).OwedAsync(conversationId, SlaTimerKinds.FirstResponse)).Breach);

        // Other nodes: nothing to take while the firing holds it.
        SqlSlaStore Node() => new(dialect, clock);
        Assert.Empty(await Node().ClaimDueAsync(Lease, 10));
        Assert.Empty(await Node().ClaimOwedAsync(conversationId, SlaTimerKinds.FirstResponse, Lease));

        // The holder died: after its lease, of two nodes claiming at once exactly one gets it.
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var raced = await Task.WhenAll(Node().ClaimDueAsync(Lease, 10), Node().ClaimOwedAsync(conversationId, SlaTimerKinds.FirstResponse, Lease));
        var taken = Assert.Single(raced.SelectMany(c => c));
        Assert.Equal((conversationId, SlaTimerKinds.FirstResponse, SlaActionKind.Breach), (taken.ConversationId, taken.Kind, taken.Action));
        Assert.Empty(await Node().ClaimDueAsync(Lease, 10));

        // The old holder, had it only been slow, cannot mark done what another node now holds; the new holder can.
        Assert.False(await Node().CompleteAsync(held));
        Assert.True(await Node().CompleteAsync(taken));
        Assert.Equal((null, null), await Node().OwedAsync(conversationId, SlaTimerKinds.FirstResponse));
        clock.Advance(Lease * 2);
        Assert.Empty(await Node().ClaimDueAsync(Lease, 10));
    }

    [Fact]
    public async Task Warning_PublishFails_StaysOwedAndIsSentOnceAfterTheLease()
    {
        var clock = new TestClock(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var sink = new FlakyEventSink { Failing = true };
        await using var hub = await HubFactory.CreateAsync(backend,
            settings: new Dictionary<string, string?> { ["Hub:Sla:SweepStartSeconds"] = "3600" },
            services: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddSingleton<IHubEventSink>(sink);
            });
        var conversationId = await RunningTimerAsync(hub.Get<IConversationStore>(), hub.Get<SqlSlaStore>(), clock.GetUtcNow(), warningPercent: 50);
        var runner = hub.Get<SlaActionRunner>();

        // A look at the timer, as Quartz's firing makes it: whatever it finds owed from before, it tries to take over.
        async Task<SlaFireResult> LookAsync()
        {
            var look = await hub.Get<SlaService>().FireAsync(conversationId, SlaTimerKinds.FirstResponse);
            await runner.RunOwedAsync(conversationId, SlaTimerKinds.FirstResponse, look.Claims, look.EarlierActionsOwed);
            return look;
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        var fired = await LookAsync();
        Assert.True(fired.Warned);
        Assert.False(fired.EarlierActionsOwed);
        Assert.Empty(sink.Published);
        Assert.NotNull((await hub.Get<SqlSlaStore>().OwedAsync(conversationId, SlaTimerKinds.FirstResponse)).Warning);

        // Publishing works again; the failed attempt's lease still holds.
        sink.Failing = false;
        Assert.True((await LookAsync()).EarlierActionsOwed);
        Assert.Empty(sink.Published);

        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await LookAsync();
        await runner.SweepAsync(10);
        await LookAsync();
        var published = Assert.Single(sink.Published);
        Assert.Equal((HubEventNames.SlaWarning, conversationId), published);
        Assert.Null((await hub.Get<SqlSlaStore>().OwedAsync(conversationId, SlaTimerKinds.FirstResponse)).Warning);
    }

    /// <summary>A queued conversation with a running 10-minute first-response timer started at <paramref name="now"/>.</summary>
    static async Task<string> RunningTimerAsync(IConversationStore store, SqlSlaStore slas, DateTimeOffset now, int warningPercent)
    {
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", Guid.NewGuid().ToString("N")), new ContactDetails());
        var conversation = await store.CreateConversationAsync(new NewConversation("default", "webchat", "web", contact.Id));
        Assert.True(await slas.InsertTimerAsync(new SlaTimer(conversation.Id, SlaTimerKinds.FirstResponse, "default", "support", null, 600,
            warningPercent, 0, now, SlaTimerStates.Running, now.AddMinutes(10), null, null)));
        return conversation.Id;
    }

    /// <summary>An event sink that fails while <see cref="Failing"/>, else records what was published.</summary>
    sealed class FlakyEventSink : IHubEventSink
    {
        public volatile bool Failing;
        public ConcurrentQueue<(string Event, string ConversationId)> Published { get; } = new();

        public Task PublishAsync(string eventName, string conversationId, object data, CancellationToken cancellationToken = default)
        {
            if (Failing) throw new InvalidOperationException("the outbound webhook store is unavailable");
            Published.Enqueue((eventName, conversationId));
            return Task.CompletedTask;
        }
    }
}

public sealed class SqliteSlaActionClaimTests() : SlaActionClaimTests("sqlite");

public sealed class PostgresSlaActionClaimTests() : SlaActionClaimTests("postgres");
