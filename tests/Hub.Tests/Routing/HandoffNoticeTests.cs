using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Routing;

namespace IntegrationHub.Hub.Tests.Routing;

public sealed class HandoffNoticeTests
{
    static readonly HandoffRoute OpenRoute = new("support", "zendesk-eu", "support", "normal", true, null);

    [Fact]
    public void Compose_RecentReplies_MedianWaitAndReason()
    {
        TimeSpan[] recent = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2.5), TimeSpan.FromMinutes(10)];

        var notice = HandoffNotice.Compose("frustration", OpenRoute, recent);

        Assert.Contains("because a person can help you better", notice);
        Assert.Contains("replied in about 3 minutes", notice);
    }

    [Fact]
    public void Compose_TooFewReplies_SaysItCannotEstimate()
    {
        var notice = HandoffNotice.Compose("customer-request", OpenRoute, [TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4)]);

        Assert.Contains("not have enough recent replies to estimate", notice);
        Assert.DoesNotContain("about", notice);
    }

    [Fact]
    public void Compose_ClosedQueue_OpeningTimeInsteadOfAnEstimate()
    {
        var closed = OpenRoute with { Open = false, OpensAt = DateTimeOffset.Parse("2026-11-23T08:00:00Z") };

        var notice = HandoffNotice.Compose("customer-request", closed, [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)]);

        Assert.Contains("offline right now and back at 08:00 UTC on Monday 23 November", notice);
        Assert.DoesNotContain("replied in about", notice);
    }
}
