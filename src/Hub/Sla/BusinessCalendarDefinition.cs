namespace IntegrationHub.Hub.Sla;

/// <summary>A business-hours calendar as the admin API and the database hold it.</summary>
public sealed record BusinessCalendarDefinition(string Id, string TimeZone, IReadOnlyList<BusinessHours> Weekly, IReadOnlyList<DateOnly> Holidays)
{
    /// <exception cref="ArgumentException">The definition is not usable (message says why).</exception>
    internal BusinessCalendar ToCalendar() => new(TimeZone, Weekly, Holidays);
}
