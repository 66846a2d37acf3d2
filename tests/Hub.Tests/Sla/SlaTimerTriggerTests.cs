using Dapper;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>
/// SLA timers booked in the hub's real Quartz, on each backend: one job and one trigger per timer, a
/// warning's reschedule from inside the firing keeps the timer alive until it breaches, a booking survives a
/// restart and fires once, no trigger is left in Quartz's tables afterwards, and the bulk removal clears finished
/// timers' jobs and only theirs.
/// </summary>
public abstract class SlaTimerTriggerTests(string backend)
{
    [Fact]
    public async Task WarningThenBreach_OneTriggerRescheduledFromItsOwnFiring_NothingLeftInQuartz()
    {
        await using var hub = await HubFactory.CreateAsync(backend);
        // Warning at 50 % of 2 s: the firing at 1 s warns and books the breach look on the same trigger key.
        var (conversationId, now) = await RunningTimerAsync(hub, targetSeconds: 2, warningPercent: 50);
        await hub.Get<SlaTimerScheduler>().ScheduleAsync(conversationId, SlaTimerKinds.FirstResponse, now.AddSeconds(1));

        // The breach event is written just after the timer row: wait for the event.
        await Eventually.TrueAsync(async () => (await hub.Get<IConversationStore>().GetEventsAsync(conversationId)).Any(e => e.Kind == SlaEventKinds.Breached), 30_000, "the timer to breach");
        var kinds = (await hub.Get<IConversationStore>().GetEventsAsync(conversationId)).Select(e => e.Kind).ToList();
        Assert.Equal(1, kinds.Count(k => k == SlaEventKinds.Warning));
        Assert.Equal(1, kinds.Count(k => k == SlaEventKinds.Breached));
        var timer = await TimerAsync(hub, conversationId);
        Assert.True(timer.BreachedAt >= now.AddSeconds(2), $"breached at {timer.BreachedAt:O}, before its due instant {now.AddSeconds(2):O}");

        // The fired trigger is gone; its durable job stays until the sweep clears finished timers' jobs in bulk,
        // while a timer still booked keeps its job.
        await Eventually.TrueAsync(async () => await CountAsync(hub, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = @group") == 0, 10_000, "the SLA trigger to be removed");
        Assert.Equal(1, await CountAsync(hub, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = @group"));
        var (pending, _) = await RunningTimerAsync(hub, targetSeconds: 3600, warningPercent: 100);
        await hub.Get<SlaTimerScheduler>().ScheduleAsync(pending, SlaTimerKinds.FirstResponse, now.AddHours(1));
        Assert.Equal(1, await hub.Get<SlaTimerScheduler>().RemoveFinishedJobsAsync(1000));
        Assert.Equal(1, await CountAsync(hub, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = @group"));
        Assert.Equal(1, await CountAsync(hub, $"SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = @group AND job_name = '{SlaTimerScheduler.KeyFor(pending, SlaTimerKinds.FirstResponse).Name}'"));
    }

    [Fact]
    public async Task Booking_BookedTwiceThenRestarted_OneTriggerFiresOnceAfterTheRestart()
    {
        await using var database = await TestDatabase.CreateAsync(backend);
        string conversationId;
        DateTimeOffset now;
        await using (var before = await HubFactory.CreateAsync(backend, sharedDatabase: database))
        {
            (conversationId, now) = await RunningTimerAsync(before, targetSeconds: 4, warningPercent: 100);
            var scheduler = before.Get<SlaTimerScheduler>();
            // A second booking of the same timer replaces the first (the way a resume re-books), never adds one.
            await scheduler.ScheduleAsync(conversationId, SlaTimerKinds.FirstResponse, now.AddSeconds(30));
            await scheduler.ScheduleAsync(conversationId, SlaTimerKinds.FirstResponse, now.AddSeconds(4));
            Assert.Equal(1, await CountAsync(before, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = @group"));
        }
        // Stopped before the timer was due: nothing fired.
        await using (var connection = await SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath()).OpenAsync(CancellationToken.None))
            Assert.Equal(SlaTimerStates.Running, await connection.ExecuteScalarAsync<string>(
                "SELECT state FROM sla_timers WHERE conversation_id = @conversationId", new { conversationId }));

        await using var after = await HubFactory.CreateAsync(backend, sharedDatabase: database);
        await Eventually.TrueAsync(async () => (await after.Get<IConversationStore>().GetEventsAsync(conversationId)).Any(e => e.Kind == SlaEventKinds.Breached), 30_000, "the timer to breach after the restart");
        Assert.Equal(SlaTimerStates.Breached, (await TimerAsync(after, conversationId)).State);
        Assert.Single((await after.Get<IConversationStore>().GetEventsAsync(conversationId)), e => e.Kind == SlaEventKinds.Breached);
        await Eventually.TrueAsync(async () => await CountAsync(after, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = @group") == 0, 10_000, "the SLA trigger to be removed");
        Assert.Equal(1, await after.Get<SlaTimerScheduler>().RemoveFinishedJobsAsync(1000));
        Assert.Equal(0, await CountAsync(after, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = @group"));
    }

    [Fact]
    public async Task Firing_TimerMetBeforeItWasDue_NoBreachAndTheTriggerIsGone()
    {
        await using var hub = await HubFactory.CreateAsync(backend);
        var (conversationId, now) = await RunningTimerAsync(hub, targetSeconds: 3, warningPercent: 100);
        await hub.Get<SlaTimerScheduler>().ScheduleAsync(conversationId, SlaTimerKinds.FirstResponse, now.AddSeconds(3));
        await hub.Get<SlaService>().MeetAsync(conversationId);

        await Eventually.TrueAsync(async () => await CountAsync(hub, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = @group") == 0, 30_000, "the stale trigger to fire and go");
        Assert.Equal(SlaTimerStates.Met, (await TimerAsync(hub, conversationId)).State);
        Assert.DoesNotContain(await hub.Get<IConversationStore>().GetEventsAsync(conversationId), e => e.Kind == SlaEventKinds.Breached);
    }

    /// <summary>A queued conversation with a running first-response timer of a few seconds, started now.</summary>
    static async Task<(string ConversationId, DateTimeOffset Now)> RunningTimerAsync(HubFactory hub, int targetSeconds, int warningPercent)
    {
        var store = hub.Get<IConversationStore>();
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", Guid.NewGuid().ToString("N")), new ContactDetails());
        var conversation = await store.CreateConversationAsync(new NewConversation("default", "webchat", "web", contact.Id));
        var now = DateTimeOffset.UtcNow;
        Assert.True(await hub.Get<SqlSlaStore>().InsertTimerAsync(new SlaTimer(conversation.Id, SlaTimerKinds.FirstResponse, "default", "fast", null, targetSeconds,
            warningPercent, 0, now, SlaTimerStates.Running, now.AddSeconds(targetSeconds), null, null)));
        return (conversation.Id, now);
    }

    static async Task<SlaTimer> TimerAsync(HubFactory hub, string conversationId) =>
        (await hub.Get<SqlSlaStore>().GetTimerAsync(conversationId, SlaTimerKinds.FirstResponse))!;

    static async Task<long> CountAsync(HubFactory hub, string sql)
    {
        await using var connection = await hub.Get<SqlDialect>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, new { group = SlaTimerScheduler.Group });
    }
}

public sealed class SqliteSlaTimerTriggerTests() : SlaTimerTriggerTests("sqlite");

public sealed class PostgresSlaTimerTriggerTests() : SlaTimerTriggerTests("postgres");
