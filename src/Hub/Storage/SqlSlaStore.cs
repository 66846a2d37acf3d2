using System.Data.Common;
using System.Text.Json;
using Dapper;
using IntegrationHub.Hub.Sla;

namespace IntegrationHub.Hub.Storage;

/// <summary>Business calendars, SLA policies and the SLA timers of conversations.</summary>
internal sealed class SqlSlaStore(SqlDialect dialect, TimeProvider time)
{
    const string TimerColumns = "conversation_id, kind, workspace_id, policy_id, calendar_id, target_seconds, warning_percent, consumed_seconds, running_since, state, due_at, warned_at, breached_at";
    const string OwedSelect = "SELECT conversation_id, kind, warning_actions_due_at, breach_actions_due_at, warned_business_seconds FROM sla_timers";
    const string PolicyColumns = "id, queue, priority, channel, calendar_id, first_response_minutes, next_response_minutes, resolution_minutes, warning_percent, breach_actions";

    static SqlSlaStore() => DateTimeOffsetHandler.Register();

    public async Task PutCalendarAsync(string workspaceId, BusinessCalendarDefinition calendar, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO business_calendars (workspace_id, id, time_zone, weekly, holidays, updated_at) VALUES (@workspaceId, @Id, @TimeZone, @weekly, @holidays, @now)
            ON CONFLICT (workspace_id, id) DO UPDATE SET time_zone = excluded.time_zone, weekly = excluded.weekly, holidays = excluded.holidays, updated_at = excluded.updated_at
            """,
            new { workspaceId, calendar.Id, calendar.TimeZone, weekly = JsonSerializer.Serialize(calendar.Weekly, SlaJson.Options),
                holidays = JsonSerializer.Serialize(calendar.Holidays, SlaJson.Options), now = time.GetUtcNow() });
    }

    public async Task<BusinessCalendarDefinition?> GetCalendarAsync(string workspaceId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BusinessCalendarRow>(
            "SELECT id, time_zone, weekly, holidays FROM business_calendars WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id });
        return row?.ToDefinition();
    }

    public async Task<IReadOnlyList<BusinessCalendarDefinition>> ListCalendarsAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BusinessCalendarRow>(
            "SELECT id, time_zone, weekly, holidays FROM business_calendars WHERE workspace_id = @workspaceId ORDER BY id", new { workspaceId })).Select(r => r.ToDefinition()).ToList();
    }

    public async Task PutPolicyAsync(string workspaceId, SlaPolicy policy, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO sla_policies (workspace_id, {PolicyColumns}, updated_at)
            VALUES (@workspaceId, @Id, @Queue, @Priority, @Channel, @CalendarId, @FirstResponseMinutes, @NextResponseMinutes, @ResolutionMinutes, @WarningPercent, @actions, @now)
            ON CONFLICT (workspace_id, id) DO UPDATE SET queue = excluded.queue, priority = excluded.priority, channel = excluded.channel, calendar_id = excluded.calendar_id,
                first_response_minutes = excluded.first_response_minutes, next_response_minutes = excluded.next_response_minutes,
                resolution_minutes = excluded.resolution_minutes, warning_percent = excluded.warning_percent, breach_actions = excluded.breach_actions,
                updated_at = excluded.updated_at
            """,
            new { workspaceId, policy.Id, policy.Queue, policy.Priority, policy.Channel, policy.CalendarId, policy.FirstResponseMinutes, policy.NextResponseMinutes,
                policy.ResolutionMinutes, policy.WarningPercent, actions = StoredJson.Write(policy.BreachActions), now = time.GetUtcNow() });
    }

    public async Task<IReadOnlyList<SlaPolicy>> ListPoliciesAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SlaPolicyRow>(
            $"SELECT {PolicyColumns} FROM sla_policies WHERE workspace_id = @workspaceId ORDER BY id", new { workspaceId })).Select(r => r.ToPolicy()).ToList();
    }

    /// <summary>Creates the timer unless the conversation already has one of this kind (a timer starts once). True when created.</summary>
    public async Task<bool> InsertTimerAsync(SlaTimer timer, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await connection.ExecuteAsync(
            $"""
            INSERT INTO sla_timers ({TimerColumns}, created_at, updated_at)
            VALUES (@ConversationId, @Kind, @WorkspaceId, @PolicyId, @CalendarId, @TargetSeconds, @WarningPercent, @ConsumedSeconds, @RunningSince, @State, @DueAt, @WarnedAt, @BreachedAt, @now, @now)
            ON CONFLICT (conversation_id, kind) DO NOTHING
            """,
            new { timer.ConversationId, timer.Kind, timer.WorkspaceId, timer.PolicyId, timer.CalendarId, timer.TargetSeconds, timer.WarningPercent, timer.ConsumedSeconds,
                timer.RunningSince, timer.State, timer.DueAt, timer.WarnedAt, timer.BreachedAt, now }) > 0;
    }

    public async Task<IReadOnlyList<SlaTimer>> GetTimersAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SlaTimerRow>(
            $"SELECT {TimerColumns} FROM sla_timers WHERE conversation_id = @conversationId ORDER BY kind", new { conversationId })).Select(r => r.ToTimer()).ToList();
    }

    public async Task<SlaTimer?> GetTimerAsync(string conversationId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SlaTimerRow>(
            $"SELECT {TimerColumns} FROM sla_timers WHERE conversation_id = @conversationId AND kind = @kind", new { conversationId, kind });
        return row?.ToTimer();
    }

    /// <summary>The timer, and whether side effects of an earlier warning or breach are still owed, in one read for a firing.</summary>
    public async Task<(SlaTimer Timer, bool ActionsOwed)?> GetTimerForFiringAsync(string conversationId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SlaTimerRow>(
            $"""
            SELECT {TimerColumns}, CASE WHEN warning_actions_due_at IS NULL AND breach_actions_due_at IS NULL THEN 0 ELSE 1 END AS actions_owed
            FROM sla_timers WHERE conversation_id = @conversationId AND kind = @kind
            """, new { conversationId, kind });
        return row is null ? null : (row.ToTimer(), row.ActionsOwed != 0);
    }

    /// <summary>
    /// Starts a stopped timer afresh (the next-response timer, once per unanswered customer message), with the policy
    /// that matches now, only if it is still in <paramref name="expectedState"/>. True when this call restarted it.
    /// </summary>
    public async Task<bool> RestartTimerAsync(SlaTimer timer, string expectedState, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE sla_timers SET policy_id = @PolicyId, calendar_id = @CalendarId, target_seconds = @TargetSeconds, warning_percent = @WarningPercent,
                consumed_seconds = @ConsumedSeconds, running_since = @RunningSince, state = @State, due_at = @DueAt, warned_at = @WarnedAt,
                breached_at = @BreachedAt, updated_at = @now
            WHERE conversation_id = @ConversationId AND kind = @Kind AND state = @expectedState
            """,
            new { timer.PolicyId, timer.CalendarId, timer.TargetSeconds, timer.WarningPercent, timer.ConsumedSeconds, timer.RunningSince, timer.State, timer.DueAt,
                timer.WarnedAt, timer.BreachedAt, timer.ConversationId, timer.Kind, expectedState, now = time.GetUtcNow() }) > 0;
    }

    /// <summary>
    /// Writes the timer's moving parts only if it is still in <paramref name="expectedState"/>: of two nodes or two
    /// firings, one wins. True when this call changed it. (Warnings and breaches: <see cref="RecordWarningAsync"/>, <see cref="RecordBreachAsync"/>.)
    /// </summary>
    public async Task<bool> UpdateTimerAsync(SlaTimer timer, string expectedState, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE sla_timers SET consumed_seconds = @ConsumedSeconds, running_since = @RunningSince, state = @State, due_at = @DueAt,
                warned_at = @WarnedAt, breached_at = @BreachedAt, updated_at = @now
            WHERE conversation_id = @ConversationId AND kind = @Kind AND state = @expectedState
            """,
            new { timer.ConsumedSeconds, timer.RunningSince, timer.State, timer.DueAt, timer.WarnedAt, timer.BreachedAt, timer.ConversationId, timer.Kind, expectedState,
                now = time.GetUtcNow() }) > 0;
    }

    /// <summary>
    /// Records the warning on a running, unwarned timer and appends its <c>sla.warning</c> event, in one commit that also
    /// marks the warning's side effects owed, held by the caller until <paramref name="leaseUntil"/>. Of two nodes or
    /// two firings, one wins: true when this call did.
    /// </summary>
    public Task<bool> RecordWarningAsync(SlaTimer warned, long businessSeconds, object eventData, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        RecordAsync(
            """
            UPDATE sla_timers SET warned_at = @WarnedAt, warned_business_seconds = @businessSeconds, warning_actions_due_at = @leaseUntil, updated_at = @now
            WHERE conversation_id = @ConversationId AND kind = @Kind AND state = 'running' AND warned_at IS NULL
            """,
            new { warned.WarnedAt, businessSeconds, leaseUntil = LeaseInstant(leaseUntil), now = time.GetUtcNow(), warned.ConversationId, warned.Kind },
            warned, SlaEventKinds.Warning, eventData, cancellationToken);

    /// <summary>
    /// Records the breach on a running timer and appends its <c>sla.breached</c> event, in one commit that also marks the
    /// breach actions owed, held by the caller until <paramref name="leaseUntil"/>. True when this call breached it.
    /// </summary>
    public Task<bool> RecordBreachAsync(SlaTimer breached, object eventData, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        RecordAsync(
            """
            UPDATE sla_timers SET consumed_seconds = @ConsumedSeconds, running_since = @RunningSince, state = @State, due_at = @DueAt, breached_at = @BreachedAt,
                breach_actions_due_at = @leaseUntil, updated_at = @now
            WHERE conversation_id = @ConversationId AND kind = @Kind AND state = 'running'
            """,
            new { breached.ConsumedSeconds, breached.RunningSince, breached.State, breached.DueAt, breached.BreachedAt, leaseUntil = LeaseInstant(leaseUntil),
                now = time.GetUtcNow(), breached.ConversationId, breached.Kind },
            breached, SlaEventKinds.Breached, eventData, cancellationToken);

    async Task<bool> RecordAsync(string update, object parameters, SlaTimer timer, string eventKind, object eventData, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(update, parameters, transaction) == 0) return false;
        await SqlConversationStore.InsertEventAsync(connection, transaction, timer.WorkspaceId, timer.ConversationId, eventKind, eventData, time.GetUtcNow());
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Takes the side effects this timer owes whose due instant (or a dead holder's lease) has passed, for
    /// <paramref name="lease"/>; the warning's first. Side effects another node holds are left alone.
    /// </summary>
    public async Task<IReadOnlyList<SlaActionClaim>> ClaimOwedAsync(string conversationId, string kind, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var owed = await connection.QueryAsync<SlaOwedActionsRow>(
            $"{OwedSelect} WHERE conversation_id = @conversationId AND kind = @kind",
            new { conversationId, kind });
        return await ClaimAsync(connection, owed, now, lease);
    }

    /// <summary>Takes up to <paramref name="limit"/> timers' owed side effects that are due (on any timer), for <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<SlaActionClaim>> ClaimDueAsync(TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // One query per column, each answered from its partial index.
        var owed = (await connection.QueryAsync<SlaOwedActionsRow>($"{OwedSelect} WHERE warning_actions_due_at <= @now ORDER BY warning_actions_due_at LIMIT @limit", new { now, limit }))
            .Concat(await connection.QueryAsync<SlaOwedActionsRow>($"{OwedSelect} WHERE breach_actions_due_at <= @now ORDER BY breach_actions_due_at LIMIT @limit", new { now, limit }))
            .DistinctBy(r => (r.ConversationId, r.Kind));
        return await ClaimAsync(connection, owed, now, lease);
    }

    async Task<IReadOnlyList<SlaActionClaim>> ClaimAsync(DbConnection connection, IEnumerable<SlaOwedActionsRow> owed, DateTimeOffset now, TimeSpan lease)
    {
        var until = LeaseInstant(now + lease);
        var claims = new List<SlaActionClaim>();
        foreach (var row in owed)
        {
            foreach (var (action, dueAt) in new[] { (SlaActionKind.Warning, row.WarningActionsDueAt), (SlaActionKind.Breach, row.BreachActionsDueAt) })
            {
                if (dueAt is not { } at || at > now) continue;
                // Compare-and-set on the instant read: whoever moves it first holds the side effects until the lease ends.
                var column = Column(action);
                var won = await connection.ExecuteAsync(
                    $"UPDATE sla_timers SET {column} = @until WHERE conversation_id = @ConversationId AND kind = @Kind AND {column} = @at",
                    new { until, row.ConversationId, row.Kind, at });
                if (won == 1) claims.Add(new SlaActionClaim(row.ConversationId, row.Kind, action, until, row.WarnedBusinessSeconds ?? 0));
            }
        }
        return claims;
    }

    /// <summary>The side effects ran: nothing owed any more. False when the lease was lost meanwhile (another node took them over).</summary>
    public async Task<bool> CompleteAsync(SlaActionClaim claim, CancellationToken cancellationToken = default)
    {
        var column = Column(claim.Action);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            $"UPDATE sla_timers SET {column} = NULL WHERE conversation_id = @ConversationId AND kind = @Kind AND {column} = @LeaseUntil",
            new { claim.ConversationId, claim.Kind, claim.LeaseUntil }) == 1;
    }

    /// <summary>When the timer's side effects are due (null: none owed), for the admin view and tests.</summary>
    public async Task<(DateTimeOffset? Warning, DateTimeOffset? Breach)> OwedAsync(string conversationId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SlaOwedActionsRow>(
            $"{OwedSelect} WHERE conversation_id = @conversationId AND kind = @kind",
            new { conversationId, kind });
        return (row?.WarningActionsDueAt, row?.BreachActionsDueAt);
    }

    static string Column(SlaActionKind action) => action == SlaActionKind.Warning ? "warning_actions_due_at" : "breach_actions_due_at";

    /// <summary>Lease instants are compared for equality after a round trip: whole milliseconds survive both backends exactly.</summary>
    public static DateTimeOffset LeaseInstant(DateTimeOffset value) => new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
