namespace IntegrationHub.Connectors.RequestTracker;

internal sealed class RequestTrackerOptions
{
    public string BaseUrl { get; set; } = "";
    public string? Username { get; set; }
    public string Queue { get; set; } = "General";
    public Dictionary<string, string> Queues { get; set; } = [];
    public string ConversationCustomField { get; set; } = "ChatSessionId";
}
