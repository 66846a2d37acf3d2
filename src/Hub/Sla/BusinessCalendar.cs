using System.Globalization;

namespace IntegrationHub.Hub.Sla;

/// <summary>
/// Working time of one queue: weekly hours in a time zone (split shifts allowed) minus holidays.
/// SLA targets count only this time. Immutable and thread-safe.
/// </summary>
internal sealed class BusinessCalendar
{
    // Far enough for any SLA target; stops a calendar with no working time from looping forever.
    const int MaxDaysAhead = 3 * 366;

    readonly TimeZoneInfo zone;
    readonly HashSet<DateOnly> holidays;
    readonly (int Start, int End)[][] days = new (int, int)[7][];

    /// <summary>Round the clock, every day: what a policy without a calendar counts.</summary>
    public static readonly BusinessCalendar AlwaysOpen = new("UTC",
        Enum.GetValues<DayOfWeek>().Select(d => new BusinessHours(d, "00:00", "24:00")).ToList(), []);

    /// <exception cref="ArgumentException">Unknown time zone, malformed or overlapping hours, or no working time at all.</exception>
    public BusinessCalendar(string timeZone, IReadOnlyList<BusinessHours> weekly, IEnumerable<DateOnly> holidays)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ArgumentException($"unknown time zone '{timeZone}' (use an IANA id such as Europe/Berlin)", nameof(timeZone));
        }
        this.holidays = holidays.ToHashSet();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var intervals = weekly.Where(h => h.Day == day).Select(h => (Start: Minutes(h.Start), End: Minutes(h.End))).OrderBy(i => i.Start).ToArray();
            for (var i = 0; i < intervals.Length; i++)
            {
                if (intervals[i].End <= intervals[i].Start) throw new ArgumentException($"{day}: {Text(intervals[i].Start)}-{Text(intervals[i].End)} ends before it starts", nameof(weekly));
                if (i > 0 && intervals[i].Start < intervals[i - 1].End) throw new ArgumentException($"{day}: hours overlap", nameof(weekly));
            }
            days[(int)day] = intervals;
        }
        if (days.All(d => d.Length == 0)) throw new ArgumentException("the calendar has no working hours", nameof(weekly));
    }

    /// <summary>The instant at which <paramref name="amount"/> of business time has passed since <paramref name="from"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset from, TimeSpan amount)
    {
        if (amount <= TimeSpan.Zero) return from;
        var left = amount;
        foreach (var (start, end) in Intervals(from))
        {
            var length = end - start;
            if (length >= left) return start + left;
            left -= length;
        }
        throw new InvalidOperationException($"the calendar has no {amount} of working time within {MaxDaysAhead} days");
    }

    /// <summary>Business time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        if (to <= from) return total;
        foreach (var (start, end) in Intervals(from))
        {
            if (start >= to) break;
            total += (end < to ? end : to) - start;
        }
        return total;
    }

    /// <summary>Working intervals in UTC from <paramref name="from"/> on, the first clipped to start at it.</summary>
    IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Intervals(DateTimeOffset from)
    {
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        for (var date = firstDay; date <= firstDay.AddDays(MaxDaysAhead); date = date.AddDays(1))
        {
            if (holidays.Contains(date)) continue;
            foreach (var (startMinute, endMinute) in days[(int)date.DayOfWeek])
            {
                var start = ToUtc(date, startMinute);
                var end = ToUtc(date, endMinute);
                if (end <= from) continue;
                yield return (start < from ? from : start, end);
            }
        }
    }

    DateTimeOffset ToUtc(DateOnly date, int minute)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).AddMinutes(minute);
        // A local time skipped by a DST jump does not exist: count from the first minute that does.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    static int Minutes(string text)
    {
        if (text == "24:00") return 24 * 60;
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new ArgumentException($"'{text}' is not a time of day as HH:mm");
        return time.Hour * 60 + time.Minute;
    }

    static string Text(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";
}
