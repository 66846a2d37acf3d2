namespace IntegrationHub.Connectors.Freshdesk;

internal sealed class FreshdeskOptions
{
    public string BaseUrl { get; set; } = "";
    public string ConversationField { get; set; } = "cf_chat_session";
    public Dictionary<string, long> Groups { get; set; } = [];
    public List<string> Tags { get; set; } = ["chat-hub"];
}
