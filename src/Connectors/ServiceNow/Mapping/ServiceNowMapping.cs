namespace IntegrationHub.Connectors.ServiceNow.Mapping;

/// <summary>Default incident states (1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed); priority derives from urgency × impact.</summary>
internal static class ServiceNowMapping
{
    public static string State(string hub) => hub switch { "pending" => "3", "solved" => "6", "closed" => "7", _ => "2" };
    public static string HubStatus(string state) => state switch { "3" => "pending", "6" => "solved", "7" or "8" => "closed", _ => "open" };
    public static (string Urgency, string Impact) Priority(string hub) => hub switch
    {
        "urgent" => ("1", "1"),
        "high" => ("1", "2"),
        "low" => ("3", "3"),
        _ => ("2", "2"),
    };
}
