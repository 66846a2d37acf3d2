namespace IntegrationHub.Hub.Apis;

/// <summary>PUT /api/admin/sla/calendars/{id}: weekly hours as { day: "monday", start: "09:00", end: "12:00" }, holidays as "2026-12-25".</summary>
public sealed record CalendarRequest(string? TimeZone, IReadOnlyList<HoursRequest>? Weekly, IReadOnlyList<DateOnly>? Holidays);

public sealed record HoursRequest(string? Day, string? Start, string? End);

/// <summary>PUT /api/admin/sla/policies/{id}: null queue/priority/channel match any; targets in business minutes.</summary>
public sealed record PolicyRequest(
    string? Queue, string? Priority, string? Channel, string? CalendarId,
    int? FirstResponseMinutes, int? NextResponseMinutes, int? ResolutionMinutes, int? WarningPercent, IReadOnlyList<string>? BreachActions);
