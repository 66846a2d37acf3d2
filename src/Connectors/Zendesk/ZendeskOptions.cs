namespace IntegrationHub.Connectors.Zendesk;

/// <summary>Settings of a <c>zendesk</c> connector instance (secrets are references, read via the config).</summary>
internal sealed class ZendeskOptions
{
    public string BaseUrl { get; set; } = "";
    public string Email { get; set; } = "";
    public Dictionary<string, long> Groups { get; set; } = [];
    public long? DefaultGroupId { get; set; }
    public long? ConversationUrlFieldId { get; set; }
    public long? IntentFieldId { get; set; }
    public List<string> Tags { get; set; } = ["chat-hub"];
}
