namespace IntegrationHub.Connectors.Salesforce;

/// <summary>Settings of a <c>salesforce</c> connector instance (secrets are references, read via the config).</summary>
internal sealed class SalesforceOptions
{
    public string InstanceUrl { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ApiVersion { get; set; } = "v62.0";
    public string CaseExternalIdField { get; set; } = "Chat_Session_Id__c";
    public string ContactKeyField { get; set; } = "Chat_Contact_Key__c";
    public string Origin { get; set; } = "Web";
    public Dictionary<string, string> Queues { get; set; } = [];
    /// <summary>Overrides of the default hub status → Case Status values.</summary>
    public Dictionary<string, string> Statuses { get; set; } = [];
    /// <summary>Overrides of the default hub priority → Case Priority values.</summary>
    public Dictionary<string, string> Priorities { get; set; } = [];
    public string? IntentField { get; set; }
    public string? ConversationUrlField { get; set; }
    public string? IntegrationUserId { get; set; }
}
