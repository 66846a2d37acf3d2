using System.Globalization;

namespace IntegrationHub.Bot.Handoff;

/// <summary>Answers "are humans available now?" and "when do they next start?" for configured opening hours.</summary>
internal sealed class BusinessHours
{
    static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    readonly TimeZoneInfo _zone;
    readonly HashSet<DayOfWeek> _days;
    readonly TimeOnly _open, _close;
    readonly HashSet<DateOnly> _holidays;

    public BusinessHours(BusinessHoursOptions options)
    {
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        _days = options.Days.Select(d => (DayOfWeek)Array.IndexOf(DayNames, d.ToLowerInvariant()[..3])).ToHashSet();
        _open = TimeOnly.ParseExact(options.Open, "HH:mm", CultureInfo.InvariantCulture);
        _close = TimeOnly.ParseExact(options.Close, "HH:mm", CultureInfo.InvariantCulture);
        _holidays = options.Holidays.Select(h => DateOnly.ParseExact(h, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet();
        ZoneName = options.TimeZone;
    }

    public string ZoneName { get; }

    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return _days.Contains(local.DayOfWeek) && !_holidays.Contains(date) && time >= _open && time < _close;
    }

    /// <summary>The next opening time after <paramref name="now"/> (local to the business), or null if no day ever opens.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        for (var offset = 0; offset <= 366; offset++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(offset);
            if (!_days.Contains(date.DayOfWeek) || _holidays.Contains(date)) continue;
            var opening = date.ToDateTime(_open);
            if (offset == 0 && TimeOnly.FromDateTime(local.DateTime) >= _open) continue;
            return new DateTimeOffset(opening, _zone.GetUtcOffset(opening));
        }
        return null;
    }

    /// <summary>"Monday 09:00 (Europe/Berlin)", or "tomorrow at 09:00 (…)" / "today at 09:00 (…)".</summary>
    public string Describe(DateTimeOffset opening, DateTimeOffset now)
    {
        var localNow = TimeZoneInfo.ConvertTime(now, _zone);
        var days = DateOnly.FromDateTime(opening.DateTime).DayNumber - DateOnly.FromDateTime(localNow.DateTime).DayNumber;
        var when = days switch
        {
            0 => "today",
            1 => "tomorrow",
            _ => opening.ToString("dddd d MMMM", CultureInfo.InvariantCulture),
        };
        return $"{when} at {opening.ToString("HH:mm", CultureInfo.InvariantCulture)} ({ZoneName})";
    }
}
