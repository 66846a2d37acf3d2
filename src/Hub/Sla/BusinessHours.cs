namespace IntegrationHub.Hub.Sla;

/// <summary>One working interval on a weekday, local time "HH:mm" (End may be "24:00"). Several per day make split shifts.</summary>
public sealed record BusinessHours(DayOfWeek Day, string Start, string End);
