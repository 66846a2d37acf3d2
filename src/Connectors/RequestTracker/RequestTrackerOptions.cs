namespace IntegrationHub.Connectors.RequestTracker;

internal sealed class RequestTrackerOptions
{
    public string BaseUrl { get; set; } = "";
    public string? Username { get; set; }
    public string Queue { get; set; } = "General";
    public Dictionary<string, string> Queues { get; set; } = [];
    public string ConversationCustomField { get; set; } = "ChatSessionId";
    /// <summary>Optional ticket custom fields for the packet's link, intent and channel.</summary>
    public string? ConversationUrlCustomField { get; set; }
    public string? IntentCustomField { get; set; }
    public string? ChannelCustomField { get; set; }
    /// <summary>The RT user the hub writes as; its transactions are never relayed back. Default: see the connector.</summary>
    public string? HubUser { get; set; }
    /// <summary>Transactions per history read; a busier ticket is read in several calls.</summary>
    public int HistoryPageSize { get; set; } = 50;
}
