namespace IntegrationHub.Connectors.JiraServiceManagement;

/// <summary>Settings of a <c>jiraservicemanagement</c> connector instance (secrets are references, read via the config).</summary>
internal sealed class JiraServiceManagementOptions
{
    public string BaseUrl { get; set; } = "";
    public string Email { get; set; } = "";
    public string ServiceDeskId { get; set; } = "";
    public string RequestTypeId { get; set; } = "";
    public Dictionary<string, string> RequestTypes { get; set; } = [];
    public string ConversationFieldId { get; set; } = "";
    /// <summary>Optional request fields (customfield_…, on the request type's form) for the packet's link, intent and channel.</summary>
    public string? ConversationUrlFieldId { get; set; }
    public string? IntentFieldId { get; set; }
    public string? ChannelFieldId { get; set; }
    /// <summary>Overrides of the default hub status → workflow status names.</summary>
    public Dictionary<string, string> Statuses { get; set; } = [];
    /// <summary>Overrides of the default hub priority → priority names.</summary>
    public Dictionary<string, string> Priorities { get; set; } = [];
}
