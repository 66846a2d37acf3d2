namespace IntegrationHub.Hub.Sla;

/// <summary>One SLA timer of a conversation, as stored in <c>sla_timers</c>.</summary>
/// <param name="ConsumedSeconds">Business seconds counted up to <see cref="RunningSince"/> (or up to the pause).</param>
/// <param name="DueAt">When the target is breached if the timer keeps running (null while paused or stopped).</param>
public sealed record SlaTimer(
    string ConversationId,
    string Kind,
    string WorkspaceId,
    string PolicyId,
    string? CalendarId,
    long TargetSeconds,
    long WarningPercent,
    long ConsumedSeconds,
    DateTimeOffset? RunningSince,
    string State,
    DateTimeOffset? DueAt,
    DateTimeOffset? WarnedAt,
    DateTimeOffset? BreachedAt);
