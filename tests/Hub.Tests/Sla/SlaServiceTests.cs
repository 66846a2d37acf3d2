using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>SLA timers on a fake clock, on each backend: business minutes, weekend and holiday, pause while waiting on the customer, fire once.</summary>
public abstract class SlaServiceTests(string backend) : IAsyncLifetime
{
    // 24 Dec 2026 is a Thursday; the Berlin team works 09–12 and 13–17 on weekdays; the 25th is a holiday.
    static DateTimeOffset Berlin(int day, int hour, int minute = 0, int second = 0) => new(2026, 12, day, hour, minute, second, TimeSpan.FromHours(1));

    readonly TestClock clock = new(Berlin(24, 16, 30));
    TestDatabase database = null!;
    SqlDialect dialect = null!;
    SqlConversationStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(backend);
        dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        await Migrations.ApplyAsync(dialect);
        store = new SqlConversationStore(dialect, clock, NullLogger<SqlConversationStore>.Instance);
        var slas = new SqlSlaStore(dialect, clock);
        await slas.PutCalendarAsync("default", new BusinessCalendarDefinition("berlin", "Europe/Berlin",
            [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .SelectMany(d => new[] { new BusinessHours(d, "09:00", "12:00"), new BusinessHours(d, "13:00", "17:00") })],
            [new DateOnly(2026, 12, 25)]));
        await slas.PutPolicyAsync("default", new SlaPolicy("any", null, null, null, null, 600, null, null, 80, []));
        await slas.PutPolicyAsync("default", new SlaPolicy("support", "support", null, null, "berlin", 120, 30, 8 * 60, 80, ["raise-priority"]));
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>A fresh service each time, as after a restart: the timer lives only in the database.</summary>
    SlaService Service() => new(new SqlSlaStore(dialect, clock), clock, Options.Create(new SlaOptions()));

    async Task<Conversation> HandedOffAsync()
    {
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", Guid.NewGuid().ToString("N")), new ContactDetails());
        var conversation = await store.CreateConversationAsync(new NewConversation("default", "webchat", "web", contact.Id));
        return await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Queued, Queue: "support"), ConversationEventKinds.Handoff);
    }

    [Fact]
    public async Task FirstResponse_SpansHolidayAndWeekend_WarnsThenBreachesOnceAtTheBusinessMinute()
    {
        var conversation = await HandedOffAsync();
        var started = await Service().StartAsync(conversation);
        // 120 business minutes from Thu 16:30: 30 min Thursday, Friday holiday, weekend, 90 min Monday → Mon 28th 10:30.
        // The 80 % warning (96 min) comes first, at Monday 10:06.
        Assert.Equal(Berlin(28, 10, 6), started.Single(s => s.Kind == SlaTimerKinds.FirstResponse).FireAt);
        Assert.Empty(await Service().StartAsync(conversation)); // a timer starts once

        clock.SetUtcNow(Berlin(28, 10, 5));
        var early = await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse);
        Assert.False(early.Warned || early.Breached);
        Assert.Equal(Berlin(28, 10, 6), early.NextFireAt);

        clock.SetUtcNow(Berlin(28, 10, 6));
        var warning = await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse);
        Assert.True(warning.Warned);
        Assert.Equal(Berlin(28, 10, 30), warning.NextFireAt);
        Assert.False((await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse)).Warned); // warns once

        clock.SetUtcNow(Berlin(28, 10, 29, 59));
        Assert.False((await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse)).Breached);
        clock.SetUtcNow(Berlin(28, 10, 30));
        Assert.True((await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse)).Breached);
        // Breaches once; a later look finds only the breach's side effects, never run in this test, still owed.
        Assert.Equal(SlaFireResult.Nothing with { EarlierActionsOwed = true }, await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse));

        var events = await store.GetEventsAsync(conversation.Id);
        Assert.Single(events, e => e.Kind == SlaEventKinds.Breached);
        Assert.Single(events, e => e.Kind == SlaEventKinds.Warning);
        var timer = (await Service().TimersAsync(conversation.Id)).Single(t => t.Kind == SlaTimerKinds.FirstResponse);
        Assert.Equal(SlaTimerStates.Breached, timer.State);
        Assert.Equal(Berlin(28, 10, 30), timer.BreachedAt);
        // The resolution timer (8 h) keeps running.
        Assert.Equal(SlaTimerStates.Running, (await Service().TimersAsync(conversation.Id)).Single(t => t.Kind == SlaTimerKinds.Resolution).State);
    }

    [Fact]
    public async Task FirstResponse_WaitingOnCustomer_PausesAndResumesWithTheTimeLeft()
    {
        clock.SetUtcNow(Berlin(28, 9, 0));
        var conversation = await HandedOffAsync();
        await Service().StartAsync(conversation); // due 11:00 (120 min)

        clock.SetUtcNow(Berlin(28, 9, 20));
        await Service().PauseAsync(conversation.Id); // 20 business minutes used

        clock.SetUtcNow(Berlin(28, 16, 0)); // long past the original due time, but paused
        Assert.Equal(SlaFireResult.Nothing, await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse));

        var resumed = await Service().ResumeAsync(conversation.Id);
        // 100 minutes left from Mon 16:00: 60 min Monday, then Tue 09:00 + 40 min.
        var timer = (await Service().TimersAsync(conversation.Id)).Single(t => t.Kind == SlaTimerKinds.FirstResponse);
        Assert.Equal(SlaTimerStates.Running, timer.State);
        Assert.Equal(Berlin(29, 9, 40), timer.DueAt);
        // Warning at 96 min used = 76 more minutes: 60 Monday + 16 Tuesday.
        Assert.Equal(Berlin(29, 9, 16), resumed.Single(r => r.Kind == SlaTimerKinds.FirstResponse).FireAt);

        clock.SetUtcNow(Berlin(29, 9, 39));
        Assert.False((await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse)).Breached);
        clock.SetUtcNow(Berlin(29, 9, 40));
        Assert.True((await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse)).Breached);
    }

    [Fact]
    public async Task Meet_AgentAnswered_TimerNeverBreaches()
    {
        var conversation = await HandedOffAsync();
        await Service().StartAsync(conversation);
        await Service().MeetAsync(conversation.Id, SlaTimerKinds.FirstResponse);
        clock.SetUtcNow(Berlin(31, 12, 0));
        Assert.Equal(SlaFireResult.Nothing, await Service().FireAsync(conversation.Id, SlaTimerKinds.FirstResponse));
        Assert.Equal(SlaTimerStates.Met, (await Service().TimersAsync(conversation.Id)).Single(t => t.Kind == SlaTimerKinds.FirstResponse).State);
    }

    async Task<Conversation> InModeAsync(string conversationId, ConversationMode mode) =>
        await store.UpdateConversationAsync(conversationId, new ConversationUpdate(Mode: mode), ConversationEventKinds.StatusChanged);

    SlaTimer Timer(IReadOnlyList<SlaTimer> timers, string kind) => timers.Single(t => t.Kind == kind);

    [Fact]
    public async Task NextResponse_CustomerWritesAfterAgentReply_StartsOncePerUnansweredMessageAndAgentMeetsIt()
    {
        clock.SetUtcNow(Berlin(28, 9, 0));
        var queued = await HandedOffAsync();
        await Service().StartAsync(queued);
        // Still queued: the first-response clock covers the customer's messages.
        Assert.Empty(await Service().CustomerWroteAsync(queued));
        Assert.DoesNotContain(await Service().TimersAsync(queued.Id), t => t.Kind == SlaTimerKinds.NextResponse);

        clock.SetUtcNow(Berlin(28, 9, 5));
        await Service().AgentRepliedAsync(queued.Id);
        Assert.Equal(SlaTimerStates.Met, Timer(await Service().TimersAsync(queued.Id), SlaTimerKinds.FirstResponse).State);
        var human = await InModeAsync(queued.Id, ConversationMode.Human);

        clock.SetUtcNow(Berlin(28, 9, 10));
        var started = await Service().CustomerWroteAsync(human);
        // 30 business minutes: due 09:40; the 80 % warning (24 min) at 09:34.
        Assert.Equal(Berlin(28, 9, 34), started.Single(s => s.Kind == SlaTimerKinds.NextResponse).FireAt);
        Assert.Equal(Berlin(28, 9, 40), Timer(await Service().TimersAsync(human.Id), SlaTimerKinds.NextResponse).DueAt);

        // A second message before the agent answers keeps counting from the first.
        clock.SetUtcNow(Berlin(28, 9, 20));
        Assert.Empty(await Service().CustomerWroteAsync(human));
        Assert.Equal(Berlin(28, 9, 40), Timer(await Service().TimersAsync(human.Id), SlaTimerKinds.NextResponse).DueAt);

        clock.SetUtcNow(Berlin(28, 9, 30));
        await Service().AgentRepliedAsync(human.Id);
        var met = Timer(await Service().TimersAsync(human.Id), SlaTimerKinds.NextResponse);
        Assert.Equal(SlaTimerStates.Met, met.State);
        Assert.Equal(20 * 60, met.ConsumedSeconds);
        Assert.Equal(SlaFireResult.Nothing, await Service().FireAsync(human.Id, SlaTimerKinds.NextResponse));

        // The next customer message starts a fresh cycle: 11:50 + 30 business minutes over the lunch break = 13:20.
        clock.SetUtcNow(Berlin(28, 11, 50));
        Assert.Single(await Service().CustomerWroteAsync(human));
        var again = Timer(await Service().TimersAsync(human.Id), SlaTimerKinds.NextResponse);
        Assert.Equal((SlaTimerStates.Running, 0L, Berlin(28, 13, 20)), (again.State, again.ConsumedSeconds, again.DueAt));

        clock.SetUtcNow(Berlin(28, 13, 20));
        Assert.True((await Service().FireAsync(human.Id, SlaTimerKinds.NextResponse)).Breached);
        // Still unanswered: another message does not restart the breached clock.
        Assert.Empty(await Service().CustomerWroteAsync(human));
        // A late answer ends the cycle but keeps the breach on record; the next message starts a new cycle.
        clock.SetUtcNow(Berlin(28, 13, 25));
        await Service().AgentRepliedAsync(human.Id);
        var late = Timer(await Service().TimersAsync(human.Id), SlaTimerKinds.NextResponse);
        Assert.Equal((SlaTimerStates.Met, Berlin(28, 13, 20)), (late.State, late.BreachedAt));
        clock.SetUtcNow(Berlin(28, 13, 30));
        Assert.Single(await Service().CustomerWroteAsync(human));
        var fresh = Timer(await Service().TimersAsync(human.Id), SlaTimerKinds.NextResponse);
        Assert.Equal((SlaTimerStates.Running, (DateTimeOffset?)null, (DateTimeOffset?)null), (fresh.State, fresh.WarnedAt, fresh.BreachedAt));
        Assert.Single(await store.GetEventsAsync(human.Id), e => e.Kind == SlaEventKinds.Breached);
    }

    [Fact]
    public async Task CustomerWrote_WhilePaused_ResumesTheClocks()
    {
        clock.SetUtcNow(Berlin(28, 9, 0));
        var conversation = await HandedOffAsync();
        await Service().StartAsync(conversation);
        clock.SetUtcNow(Berlin(28, 9, 30));
        await Service().PauseAsync(conversation.Id);

        clock.SetUtcNow(Berlin(28, 10, 0));
        var resumed = await Service().CustomerWroteAsync(conversation);

        Assert.Equal([SlaTimerKinds.FirstResponse, SlaTimerKinds.Resolution], resumed.Select(r => r.Kind).Order());
        // 30 minutes used before the pause; the 90 left count from 10:00 → due 11:30.
        var first = Timer(await Service().TimersAsync(conversation.Id), SlaTimerKinds.FirstResponse);
        Assert.Equal((SlaTimerStates.Running, 30L * 60, Berlin(28, 11, 30)), (first.State, first.ConsumedSeconds, first.DueAt));
    }

    [Fact]
    public async Task Reopen_ResolutionMetAtClose_CountsAgainFromTheTimeUsed()
    {
        clock.SetUtcNow(Berlin(28, 9, 0));
        var conversation = await HandedOffAsync();
        await Service().StartAsync(conversation);
        clock.SetUtcNow(Berlin(28, 9, 10));
        await Service().AgentRepliedAsync(conversation.Id);
        clock.SetUtcNow(Berlin(28, 10, 0));
        await Service().MeetAsync(conversation.Id); // closed after 60 business minutes

        clock.SetUtcNow(Berlin(28, 14, 0));
        var reopened = await Service().ReopenAsync(conversation.Id);

        // 420 minutes left from Mon 14:00: 180 Monday, 180 Tuesday morning, 60 after lunch → Tue 14:00.
        var resolution = Timer(await Service().TimersAsync(conversation.Id), SlaTimerKinds.Resolution);
        Assert.Equal((SlaTimerStates.Running, 3600L, Berlin(29, 14, 0)), (resolution.State, resolution.ConsumedSeconds, resolution.DueAt));
        // Warning at 384 minutes used: 324 more → Tue 11:24.
        Assert.Equal(Berlin(29, 11, 24), reopened.Single().FireAt);
        Assert.Equal(SlaTimerStates.Met, Timer(await Service().TimersAsync(conversation.Id), SlaTimerKinds.FirstResponse).State);
        Assert.Empty(await Service().ReopenAsync(conversation.Id)); // once
    }

    [Fact]
    public void Match_MostSpecificPolicyWins()
    {
        SlaPolicy P(string id, string? queue = null, string? priority = null, string? channel = null) => new(id, queue, priority, channel, null, 10, null, null, 80, []);
        var policies = new[] { P("any"), P("web", channel: "webchat"), P("urgent", priority: "urgent"), P("billing", queue: "billing"), P("sms", channel: "sms") };
        Conversation C(string? queue, string priority, string channel) =>
            new("c", "default", channel, null, "ct", ConversationMode.Queued, null, priority, queue, 0, 0, 0, null, DateTimeOffset.UnixEpoch, null, null, null, []);
        Assert.Equal("billing", SlaService.Match(policies, C("billing", "urgent", "webchat"))!.Id);
        Assert.Equal("urgent", SlaService.Match(policies, C("support", "urgent", "webchat"))!.Id);
        Assert.Equal("web", SlaService.Match(policies, C(null, "normal", "webchat"))!.Id);
        Assert.Equal("any", SlaService.Match(policies, C(null, "normal", "email"))!.Id);
    }
}

public sealed class SqliteSlaServiceTests() : SlaServiceTests("sqlite");

public sealed class PostgresSlaServiceTests() : SlaServiceTests("postgres");
