using System.Globalization;
using IntegrationHub.Bot.Handoff;
using IntegrationHub.Hub.Routing;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>What the customer is told at handoff: a person is coming, why, and an honest wait estimate.</summary>
internal static class HandoffNotice
{
    /// <summary>Fewer answered handoffs than this and we do not pretend to know the wait.</summary>
    public const int MinSamples = 3;

    public static string Compose(string? reason, HandoffRoute route, IReadOnlyList<TimeSpan> recentReplyTimes) =>
        $"A member of our support team will take over this conversation {Why(reason)}. {Wait(route, recentReplyTimes)}";

    static string Why(string? reason) => reason switch
    {
        HandoffReasons.CustomerRequest => "because you asked to talk to a person",
        HandoffReasons.Frustration => "because a person can help you better with this",
        HandoffReasons.HumanOnlyIntent => "because this kind of request is handled by our team",
        HandoffReasons.VipSegment => "because you have a dedicated support team",
        HandoffReasons.OutOfScope => "because I could not find a reliable answer to your question",
        HandoffReasons.RepeatedMiss => "because I did not manage to answer your question",
        HandoffReasons.Unresolved => "because I could not resolve this myself",
        _ => "to help you further",
    };

    static string Wait(HandoffRoute route, IReadOnlyList<TimeSpan> recent)
    {
        if (!route.Open)
            return route.OpensAt is { } opens
                ? $"Our team is offline right now and back at {opens.UtcDateTime.ToString("HH:mm 'UTC on' dddd d MMMM", CultureInfo.InvariantCulture)}; they will reply then, here and by the details you gave us."
                : "Our team is offline right now; they will reply as soon as they are back.";
        if (recent.Count < MinSamples)
            return "We do not have enough recent replies to estimate the wait; you can keep writing here in the meantime.";
        var sorted = recent.OrderBy(t => t).ToList();
        var median = sorted[sorted.Count / 2];
        return $"Recently our team has replied in about {Describe(median)}; you can keep writing here in the meantime.";
    }

    static string Describe(TimeSpan wait) =>
        wait < TimeSpan.FromMinutes(1) ? "a minute"
        : wait < TimeSpan.FromMinutes(90) ? $"{Math.Ceiling(wait.TotalMinutes):0} minutes"
        : $"{Math.Round(wait.TotalHours):0} hours";

    /// <summary>Said once when the helpdesk could not be reached at handoff.</summary>
    public const string Delayed =
        "Our helpdesk is not reachable at the moment. Your conversation is saved and will reach our team automatically as soon as it is back; you can keep writing here.";

    /// <summary>Said when the ticket cannot be made because we have no way to reach the customer.</summary>
    public const string NeedContact =
        "So that our team can reply even if you leave, please share your email address.";
}
