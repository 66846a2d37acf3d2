namespace IntegrationHub.Connectors.RequestTracker.Mapping;

/// <summary>Default lifecycle statuses (new, open, stalled, resolved, rejected) and numeric priorities.</summary>
internal static class RequestTrackerMapping
{
    public static string Status(string hub) => hub switch { "pending" => "stalled", "solved" or "closed" => "resolved", _ => "open" };
    public static int Priority(string hub) => hub switch { "low" => 0, "high" => 75, "urgent" => 100, _ => 50 };
    public static string HubPriority(int priority) => priority switch { < 25 => "low", < 70 => "normal", < 90 => "high", _ => "urgent" };
}
