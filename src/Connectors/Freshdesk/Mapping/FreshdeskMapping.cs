namespace IntegrationHub.Connectors.Freshdesk.Mapping;

/// <summary>Freshdesk codes: status 2 Open, 3 Pending, 4 Resolved, 5 Closed; priority 1 Low … 4 Urgent; source 7 Chat.</summary>
internal static class FreshdeskMapping
{
    public const int ChatSource = 7;
    public static int Status(string hub) => hub switch { "pending" => 3, "solved" => 4, "closed" => 5, _ => 2 };
    public static string HubStatus(int code) => code switch { 3 => "pending", 4 => "solved", 5 => "closed", _ => "open" };
    public static int Priority(string hub) => hub switch { "low" => 1, "high" => 3, "urgent" => 4, _ => 2 };
}
