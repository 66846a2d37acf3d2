namespace IntegrationHub.Hub.Sla;

/// <summary>
/// Targets for conversations matching queue, priority and channel (null matches any; the most specific policy wins).
/// Minutes are business minutes of <see cref="CalendarId"/> (round the clock when null).
/// </summary>
/// <param name="BreachActions">raise-priority | internal-note | webhook (the <c>sla.breach</c> outbound event); see <see cref="SlaBreachActions"/>.</param>
public sealed record SlaPolicy(
    string Id,
    string? Queue,
    string? Priority,
    string? Channel,
    string? CalendarId,
    int? FirstResponseMinutes,
    int? NextResponseMinutes,
    int? ResolutionMinutes,
    int WarningPercent,
    IReadOnlyList<string> BreachActions);
