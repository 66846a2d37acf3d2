using IntegrationHub.Hub.Sla;

namespace IntegrationHub.Hub.Tests.Sla;

public sealed class BusinessCalendarTests
{
    // Berlin, Mon–Fri 09:00–12:00 and 13:00–17:00 (a split shift), 2026-12-25 a holiday.
    static BusinessCalendar Berlin() => new("Europe/Berlin",
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .SelectMany(d => new[] { new BusinessHours(d, "09:00", "12:00"), new BusinessHours(d, "13:00", "17:00") })],
        [new DateOnly(2026, 12, 25)]);

    static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(1)); // CET in winter

    [Fact]
    public void Add_SpansLunchWeekendAndHoliday_LandsOnTheRightBusinessMinute()
    {
        // Thursday 24 Dec 16:30 + 2 h: 30 min Thursday, Friday 25th is a holiday, weekend, then Monday 09:00 + 1 h 30 min.
        var due = Berlin().Add(Local(12, 24, 16, 30), TimeSpan.FromHours(2));
        Assert.Equal(Local(12, 28, 10, 30), due);
        // 4 h from Monday 10:00: 2 h until lunch, lunch does not count, 2 h after it.
        Assert.Equal(Local(12, 28, 15, 0), Berlin().Add(Local(12, 28, 10, 0), TimeSpan.FromHours(4)));
    }

    [Fact]
    public void Add_StartOutsideHours_CountsFromNextOpening()
    {
        Assert.Equal(Local(12, 21, 9, 1), Berlin().Add(Local(12, 19, 23, 0), TimeSpan.FromMinutes(1))); // Saturday night → Monday 09:01
    }

    [Fact]
    public void Between_IsTheInverseOfAdd()
    {
        var calendar = Berlin();
        var from = Local(12, 23, 11, 17);
        foreach (var minutes in new[] { 1, 43, 60 * 7, 60 * 20, 60 * 31 + 5 })
            Assert.Equal(TimeSpan.FromMinutes(minutes), calendar.Between(from, calendar.Add(from, TimeSpan.FromMinutes(minutes))));
        Assert.Equal(TimeSpan.Zero, calendar.Between(Local(12, 25, 9), Local(12, 27, 23))); // holiday and weekend
    }

    [Fact]
    public void Add_AcrossDaylightSavingChange_UsesLocalHours()
    {
        // Europe/Berlin moves to CEST on 2026-03-29: Friday 27 Mar 16:00 CET + 2 h = Monday 30 Mar 10:00 CEST (08:00 UTC).
        var due = Berlin().Add(new DateTimeOffset(2026, 3, 27, 16, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void Constructor_BadDefinitions_SayWhatIsWrong()
    {
        Assert.Contains("unknown time zone", Assert.Throws<ArgumentException>(() => new BusinessCalendar("Mars/Olympus", [new(DayOfWeek.Monday, "09:00", "17:00")], [])).Message);
        Assert.Contains("overlap", Assert.Throws<ArgumentException>(() => new BusinessCalendar("UTC", [new(DayOfWeek.Monday, "09:00", "13:00"), new(DayOfWeek.Monday, "12:00", "17:00")], [])).Message);
        Assert.Contains("no working hours", Assert.Throws<ArgumentException>(() => new BusinessCalendar("UTC", [], [])).Message);
        Assert.Contains("HH:mm", Assert.Throws<ArgumentException>(() => new BusinessCalendar("UTC", [new(DayOfWeek.Monday, "9am", "17:00")], [])).Message);
    }
}
