namespace IntegrationHub.Connectors.HubSpot;

internal sealed class HubSpotOptions
{
    public string BaseUrl { get; set; } = "https://api.hubapi.com";
    public string ConversationProperty { get; set; } = "hub_conversation_id";
    public string Pipeline { get; set; } = "0";
    public Dictionary<string, string> Stages { get; set; } = new() { ["open"] = "1", ["pending"] = "3", ["solved"] = "4", ["closed"] = "4" };
    /// <summary>Hub queue → the pipeline its tickets go to (queues not listed use <see cref="Pipeline"/> and <see cref="Stages"/>).</summary>
    public Dictionary<string, HubSpotPipelineOptions> Queues { get; set; } = [];
    /// <summary>Optional custom ticket properties for the packet's link and channel (intent goes to hs_ticket_category).</summary>
    public string? ConversationUrlProperty { get; set; }
    /// <summary>Optional custom ticket property for the hub's intent, as detected.</summary>
    public string? IntentProperty { get; set; }
    /// <summary>Hub intent → option of the portal's hs_ticket_category enumeration; unmapped intents leave the category empty.</summary>
    public Dictionary<string, string> Categories { get; set; } = [];
    public string? ChannelProperty { get; set; }
}
