namespace IntegrationHub.Connectors.HubSpot.Mapping;

internal static class HubSpotMapping
{
    /// <summary>Ticket → contact default association type id; note → ticket is 228.</summary>
    public const int NoteToTicket = 228;
    public static string Priority(string hub) => hub switch { "low" => "LOW", "high" => "HIGH", "urgent" => "URGENT", _ => "MEDIUM" };
    public static string HubStatus(string stage, IReadOnlyDictionary<string, string> stages) =>
        stages.FirstOrDefault(s => s.Value == stage).Key ?? stage;
}
