using IntegrationHub.Hub.Routing;

namespace IntegrationHub.Hub.Tests.Routing;

public sealed class BusinessHoursTests
{
    // Berlin is UTC+1 in November; 23 November 2026 is a Monday.
    static readonly BusinessHours Berlin = new() { TimeZone = "Europe/Berlin", Days = ["Mon", "Tue", "Wed", "Thu", "Fri"], Open = "09:00", Close = "17:00" };

    [Theory]
    [InlineData("2026-11-23T08:30:00Z", true)]   // 09:30 in Berlin
    [InlineData("2026-11-23T07:59:00Z", false)]  // 08:59 in Berlin
    [InlineData("2026-11-23T16:00:00Z", false)]  // 17:00 in Berlin: closing time is exclusive
    [InlineData("2026-11-21T12:00:00Z", false)]  // Saturday
    public void IsOpen_LocalTimeOfTheQueue_Decides(string utc, bool open) =>
        Assert.Equal(open, Berlin.IsOpen(DateTimeOffset.Parse(utc)));

    [Fact]
    public void NextOpening_Weekend_MondayNineLocal()
    {
        var next = Berlin.NextOpening(DateTimeOffset.Parse("2026-11-21T12:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-11-23T08:00:00Z"), next);
    }

    [Fact]
    public void NextOpening_WhileOpen_Now()
    {
        var now = DateTimeOffset.Parse("2026-11-23T10:00:00Z");

        Assert.Equal(now, Berlin.NextOpening(now));
    }

    [Fact]
    public void NextOpening_NoOpenDay_Null() =>
        Assert.Null(new BusinessHours { Days = [] }.NextOpening(DateTimeOffset.Parse("2026-11-23T10:00:00Z")));
}
