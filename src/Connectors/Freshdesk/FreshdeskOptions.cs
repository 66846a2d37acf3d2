namespace IntegrationHub.Connectors.Freshdesk;

internal sealed class FreshdeskOptions
{
    public string BaseUrl { get; set; } = "";
    public string ConversationField { get; set; } = "cf_chat_session";
    public Dictionary<string, long> Groups { get; set; } = [];
    public List<string> Tags { get; set; } = ["chat-hub"];
    /// <summary>Optional ticket custom fields (e.g. cf_conversation_url) for the packet's link, intent and channel.</summary>
    public string? ConversationUrlField { get; set; }
    public string? IntentField { get; set; }
    public string? ChannelField { get; set; }
}
