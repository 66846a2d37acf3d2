namespace IntegrationHub.Connectors.Dataverse;

/// <summary>Settings of a <c>dataverse</c> connector instance (secrets are references, read via the config).</summary>
internal sealed class DataverseOptions
{
    public string EnvironmentUrl { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Authority { get; set; } = "https://login.microsoftonline.com";
    public string ConversationKey { get; set; } = "ihub_conversationid";
    public string ContactKey { get; set; } = "ihub_contactkey";
    public int CaseOriginCode { get; set; } = 3;
    /// <summary>Overrides of the default hub priority → prioritycode values.</summary>
    public Dictionary<string, int> Priorities { get; set; } = [];
    public int PendingStatusCode { get; set; } = 3;
    public int OpenStatusCode { get; set; } = 1;
    public int ResolvedStatusCode { get; set; } = 5;
    public Dictionary<string, string> OwningTeams { get; set; } = [];
    public string? IntentField { get; set; }
    public string? ConversationUrlField { get; set; }
    public string? ChannelField { get; set; }
    public string WebhookHeaderName { get; set; } = "X-Hub-Token";
}
