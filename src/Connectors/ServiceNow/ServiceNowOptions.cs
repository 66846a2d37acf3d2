namespace IntegrationHub.Connectors.ServiceNow;

internal sealed class ServiceNowOptions
{
    public string BaseUrl { get; set; } = "";
    public string Username { get; set; } = "";
    public Dictionary<string, string> AssignmentGroups { get; set; } = [];
}
