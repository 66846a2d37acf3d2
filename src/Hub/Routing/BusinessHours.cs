using System.Globalization;

namespace IntegrationHub.Hub.Routing;

/// <summary>Weekly opening hours of a queue in one time zone, e.g. Mon–Fri 09:00–17:00 Europe/London.</summary>
public sealed class BusinessHours
{
    /// <summary>IANA or Windows time zone id; default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Open days (Mon, Tue, … or full names); default Monday to Friday.</summary>
    public List<string> Days { get; set; } = ["Mon", "Tue", "Wed", "Thu", "Fri"];

    /// <summary>Local opening time, HH:mm.</summary>
    public string Open { get; set; } = "09:00";

    /// <summary>Local closing time, HH:mm (after <see cref="Open"/>).</summary>
    public string Close { get; set; } = "17:00";

    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone());
        return OpenDay(local.DayOfWeek) && TimeOnly.FromDateTime(local.DateTime) is var t && t >= Time(Open) && t < Time(Close);
    }

    /// <summary>The next opening at or after <paramref name="now"/> (now itself when open); null when no day is open.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now)
    {
        if (IsOpen(now)) return now;
        var zone = Zone();
        var local = TimeZoneInfo.ConvertTime(now, zone);
        for (var day = 0; day <= 7; day++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(day);
            if (!OpenDay(date.DayOfWeek)) continue;
            var opening = date.ToDateTime(Time(Open));
            var at = new DateTimeOffset(opening, zone.GetUtcOffset(opening));
            if (at > now) return at;
        }
        return null;
    }

    TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    bool OpenDay(DayOfWeek day) => Days.Any(d =>
        d.Length >= 3 && day.ToString().StartsWith(d[..3], StringComparison.OrdinalIgnoreCase));

    static TimeOnly Time(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
}
