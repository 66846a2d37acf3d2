namespace IntegrationHub.Connectors.ServiceNow;

internal sealed class ServiceNowOptions
{
    public string BaseUrl { get; set; } = "";
    public string Username { get; set; } = "";
    public Dictionary<string, string> AssignmentGroups { get; set; } = [];
    /// <summary>Optional incident columns (e.g. u_conversation_url) for the packet's link and hub channel.</summary>
    public string? ConversationUrlField { get; set; }
    public string? ChannelField { get; set; }
}
