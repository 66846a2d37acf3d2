using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// SLA timers of conversations, counted in business time of the matching policy's calendar. The database row is the
/// timer; callers (the Quartz job, the scheduler) only act on the fire times this returns. Every change is a
/// conditional update, so a timer warns and breaches once, whichever node or firing gets there first. The commit that
/// records a warning or breach also marks its side effects owed (see <see cref="SlaActionRunner"/>), so a crash before
/// they ran cannot lose them.
/// </summary>
internal sealed class SlaService(SqlSlaStore slas, TimeProvider time, IOptions<SlaOptions> options)
{
    /// <summary>The policy for the conversation: every set field must match; more specific (queue, then priority, then channel) wins.</summary>
    public static SlaPolicy? Match(IEnumerable<SlaPolicy> policies, Conversation conversation) => policies
        .Where(p => (p.Queue is null || p.Queue == conversation.Queue) && (p.Priority is null || p.Priority == conversation.Priority) &&
                    (p.Channel is null || p.Channel == conversation.Channel))
        .OrderByDescending(p => (p.Queue is null ? 0 : 4) + (p.Priority is null ? 0 : 2) + (p.Channel is null ? 0 : 1))
        .ThenBy(p => p.Id, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>Starts the first-response and resolution timers (once per conversation) when a human is needed. Returns when each must fire.</summary>
    public async Task<IReadOnlyList<(string Kind, DateTimeOffset FireAt)>> StartAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        var policy = Match(await slas.ListPoliciesAsync(conversation.WorkspaceId, cancellationToken), conversation);
        if (policy is null) return [];
        var calendar = await CalendarAsync(conversation.WorkspaceId, policy.CalendarId, cancellationToken);
        var now = time.GetUtcNow();
        var started = new List<(string, DateTimeOffset)>();
        foreach (var (kind, minutes) in new[] { (SlaTimerKinds.FirstResponse, policy.FirstResponseMinutes), (SlaTimerKinds.Resolution, policy.ResolutionMinutes) })
        {
            if (minutes is not { } target) continue;
            var timer = new SlaTimer(conversation.Id, kind, conversation.WorkspaceId, policy.Id, policy.CalendarId, target * 60L, policy.WarningPercent, 0, now,
                SlaTimerStates.Running, calendar.Add(now, TimeSpan.FromMinutes(target)), null, null);
            if (await slas.InsertTimerAsync(timer, cancellationToken)) started.Add((kind, NextFireAt(timer, calendar, now)));
        }
        return started;
    }

    /// <summary>Waiting on the customer: running timers stop counting, keeping the business time already used.</summary>
    public async Task PauseAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        foreach (var timer in await slas.GetTimersAsync(conversationId, cancellationToken))
        {
            if (timer.State != SlaTimerStates.Running) continue;
            var calendar = await CalendarAsync(timer.WorkspaceId, timer.CalendarId, cancellationToken);
            await slas.UpdateTimerAsync(timer with { ConsumedSeconds = Consumed(timer, calendar, now), RunningSince = null, State = SlaTimerStates.Paused, DueAt = null },
                SlaTimerStates.Running, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The customer answered: paused timers count again from now. Returns when each must fire.</summary>
    public async Task<IReadOnlyList<(string Kind, DateTimeOffset FireAt)>> ResumeAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var resumed = new List<(string, DateTimeOffset)>();
        foreach (var timer in await slas.GetTimersAsync(conversationId, cancellationToken))
        {
            if (timer.State != SlaTimerStates.Paused) continue;
            var calendar = await CalendarAsync(timer.WorkspaceId, timer.CalendarId, cancellationToken);
            var running = timer with
            {
                RunningSince = now, State = SlaTimerStates.Running,
                DueAt = calendar.Add(now, TimeSpan.FromSeconds(Math.Max(0, timer.TargetSeconds - timer.ConsumedSeconds))),
            };
            if (await slas.UpdateTimerAsync(running, SlaTimerStates.Paused, cancellationToken: cancellationToken))
                resumed.Add((timer.Kind, NextFireAt(running, calendar, now)));
        }
        return resumed;
    }

    /// <summary>The target is met (an agent replied, or the conversation closed): the timer stops for good.</summary>
    public async Task MeetAsync(string conversationId, string? kind = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        foreach (var timer in await slas.GetTimersAsync(conversationId, cancellationToken))
        {
            if (kind is not null && timer.Kind != kind) continue;
            if (timer.State is not (SlaTimerStates.Running or SlaTimerStates.Paused)) continue;
            var calendar = await CalendarAsync(timer.WorkspaceId, timer.CalendarId, cancellationToken);
            await slas.UpdateTimerAsync(timer with { ConsumedSeconds = Consumed(timer, calendar, now), RunningSince = null, State = SlaTimerStates.Met, DueAt = null },
                timer.State, cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// A customer message in queued or human mode: timers paused while waiting on the customer count again, and in
    /// human mode (an agent has answered before) the next-response timer starts, unless one is already waiting for
    /// an agent's reply. Returns when each must fire.
    /// </summary>
    public async Task<IReadOnlyList<(string Kind, DateTimeOffset FireAt)>> CustomerWroteAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        var booked = new List<(string, DateTimeOffset)>(await ResumeAsync(conversation.Id, cancellationToken));
        if (conversation.Mode != ConversationMode.Human) return booked;
        var policy = Match(await slas.ListPoliciesAsync(conversation.WorkspaceId, cancellationToken), conversation);
        if (policy?.NextResponseMinutes is not { } target) return booked;
        var current = await slas.GetTimerAsync(conversation.Id, SlaTimerKinds.NextResponse, cancellationToken);
        // Running, paused or breached: the earlier customer message is still unanswered, and the clock counts from it.
        if (current is not null && current.State != SlaTimerStates.Met) return booked;
        var calendar = await CalendarAsync(conversation.WorkspaceId, policy.CalendarId, cancellationToken);
        var now = time.GetUtcNow();
        var timer = new SlaTimer(conversation.Id, SlaTimerKinds.NextResponse, conversation.WorkspaceId, policy.Id, policy.CalendarId, target * 60L, policy.WarningPercent, 0,
            now, SlaTimerStates.Running, calendar.Add(now, TimeSpan.FromMinutes(target)), null, null);
        var started = current is null
            ? await slas.InsertTimerAsync(timer, cancellationToken)
            : await slas.RestartTimerAsync(timer, SlaTimerStates.Met, cancellationToken);
        if (started) booked.Add((SlaTimerKinds.NextResponse, NextFireAt(timer, calendar, now)));
        return booked;
    }

    /// <summary>
    /// A human agent's public reply meets the first-response target and the next-response target. A next-response
    /// timer that already breached is answered too (it keeps its <c>BreachedAt</c>), so the customer's next message starts a new one.
    /// </summary>
    public async Task AgentRepliedAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await MeetAsync(conversationId, SlaTimerKinds.FirstResponse, cancellationToken);
        await MeetAsync(conversationId, SlaTimerKinds.NextResponse, cancellationToken);
        var next = await slas.GetTimerAsync(conversationId, SlaTimerKinds.NextResponse, cancellationToken);
        if (next is { State: SlaTimerStates.Breached })
            await slas.UpdateTimerAsync(next with { State = SlaTimerStates.Met }, SlaTimerStates.Breached, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A closed conversation was reopened: the resolution target was met at the close, and counts again from the
    /// business time it had used. Returns when it must fire.
    /// </summary>
    public async Task<IReadOnlyList<(string Kind, DateTimeOffset FireAt)>> ReopenAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var timer = await slas.GetTimerAsync(conversationId, SlaTimerKinds.Resolution, cancellationToken);
        if (timer is not { State: SlaTimerStates.Met }) return [];
        var calendar = await CalendarAsync(timer.WorkspaceId, timer.CalendarId, cancellationToken);
        var now = time.GetUtcNow();
        var running = timer with
        {
            RunningSince = now, State = SlaTimerStates.Running,
            DueAt = calendar.Add(now, TimeSpan.FromSeconds(Math.Max(0, timer.TargetSeconds - timer.ConsumedSeconds))),
        };
        return await slas.UpdateTimerAsync(running, SlaTimerStates.Met, cancellationToken: cancellationToken)
            ? [(timer.Kind, NextFireAt(running, calendar, now))]
            : [];
    }

    /// <summary>
    /// Checks a timer now: warns once at the threshold, breaches once at the target, else says when to look again. A
    /// warning or breach comes with the claim on its side effects, which the caller runs (<see cref="SlaActionRunner"/>).
    /// </summary>
    public async Task<SlaFireResult> FireAsync(string conversationId, string kind, CancellationToken cancellationToken = default)
    {
        if (await slas.GetTimerForFiringAsync(conversationId, kind, cancellationToken) is not var (timer, owed)) return SlaFireResult.Nothing;
        if (timer.State != SlaTimerStates.Running) return SlaFireResult.Nothing with { EarlierActionsOwed = owed };
        var calendar = await CalendarAsync(timer.WorkspaceId, timer.CalendarId, cancellationToken);
        var now = time.GetUtcNow();
        var consumed = Consumed(timer, calendar, now);
        // The firing that records a warning or breach holds its side effects for a lease; if it dies, another look takes them over after it.
        var leaseUntil = SqlSlaStore.LeaseInstant(now + TimeSpan.FromSeconds(Math.Max(1, options.Value.ActionLeaseSeconds)));
        if (consumed >= timer.TargetSeconds)
        {
            var breached = timer with { ConsumedSeconds = consumed, RunningSince = null, State = SlaTimerStates.Breached, DueAt = null, BreachedAt = now };
            if (!await slas.RecordBreachAsync(breached, new { kind, policy = timer.PolicyId, targetMinutes = timer.TargetSeconds / 60, businessSeconds = consumed },
                    leaseUntil, cancellationToken))
                return SlaFireResult.Nothing with { EarlierActionsOwed = owed };
            return new SlaFireResult(false, true, null, consumed, [new SlaActionClaim(conversationId, kind, SlaActionKind.Breach, leaseUntil)], owed);
        }
        if (timer.WarnedAt is null && consumed >= WarningSeconds(timer))
        {
            timer = timer with { WarnedAt = now };
            if (await slas.RecordWarningAsync(timer, consumed,
                    new { kind, policy = timer.PolicyId, targetMinutes = timer.TargetSeconds / 60, businessSeconds = consumed, dueAt = timer.DueAt }, leaseUntil, cancellationToken))
                return new SlaFireResult(true, false, NextFireAt(timer, calendar, now), consumed,
                    [new SlaActionClaim(conversationId, kind, SlaActionKind.Warning, leaseUntil, consumed)], owed);
        }
        return new SlaFireResult(false, false, NextFireAt(timer, calendar, now), consumed, EarlierActionsOwed: owed);
    }

    public Task<IReadOnlyList<SlaTimer>> TimersAsync(string conversationId, CancellationToken cancellationToken = default) =>
        slas.GetTimersAsync(conversationId, cancellationToken);

    /// <summary>The warning instant while it is ahead, else the due instant.</summary>
    static DateTimeOffset NextFireAt(SlaTimer timer, BusinessCalendar calendar, DateTimeOffset now)
    {
        var since = timer.RunningSince ?? now;
        var due = calendar.Add(since, TimeSpan.FromSeconds(Math.Max(0, timer.TargetSeconds - timer.ConsumedSeconds)));
        if (timer.WarnedAt is not null || timer.WarningPercent >= 100) return due;
        var warnAt = calendar.Add(since, TimeSpan.FromSeconds(Math.Max(0, WarningSeconds(timer) - timer.ConsumedSeconds)));
        return warnAt < due ? warnAt : due;
    }

    static long WarningSeconds(SlaTimer timer) => timer.TargetSeconds * timer.WarningPercent / 100;

    static long Consumed(SlaTimer timer, BusinessCalendar calendar, DateTimeOffset now) =>
        timer.ConsumedSeconds + (timer.RunningSince is { } since ? (long)Math.Floor(calendar.Between(since, now).TotalSeconds) : 0);

    async Task<BusinessCalendar> CalendarAsync(string workspaceId, string? calendarId, CancellationToken cancellationToken)
    {
        if (calendarId is null) return BusinessCalendar.AlwaysOpen;
        // A deleted calendar must not stop timers: count round the clock rather than never breach.
        return (await slas.GetCalendarAsync(workspaceId, calendarId, cancellationToken))?.ToCalendar() ?? BusinessCalendar.AlwaysOpen;
    }
}
