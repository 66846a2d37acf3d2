using System.Text.Json;
using Dapper;
using IntegrationHub.Hub.Sla;

namespace IntegrationHub.Hub.Storage;

/// <summary>Business calendars, SLA policies and the SLA timers of conversations.</summary>
internal sealed class SqlSlaStore(SqlDialect dialect, TimeProvider time)
{
    const string TimerColumns = "conversation_id, kind, workspace_id, policy_id, calendar_id, target_seconds, warning_percent, consumed_seconds, running_since, state, due_at, warned_at, breached_at";
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
    /// Writes the timer's moving parts only if it is still in <paramref name="expectedState"/> (and, for a warning,
    /// not yet warned): of two nodes or two firings, one wins. True when this call changed it.
    /// </summary>
    public async Task<bool> UpdateTimerAsync(SlaTimer timer, string expectedState, bool expectUnwarned = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            $"""
            UPDATE sla_timers SET consumed_seconds = @ConsumedSeconds, running_since = @RunningSince, state = @State, due_at = @DueAt,
                warned_at = @WarnedAt, breached_at = @BreachedAt, updated_at = @now
            WHERE conversation_id = @ConversationId AND kind = @Kind AND state = @expectedState{(expectUnwarned ? " AND warned_at IS NULL" : "")}
            """,
            new { timer.ConsumedSeconds, timer.RunningSince, timer.State, timer.DueAt, timer.WarnedAt, timer.BreachedAt, timer.ConversationId, timer.Kind, expectedState,
                now = time.GetUtcNow() }) > 0;
    }
}
