namespace IntegrationHub.Hub.OutboundWebhooks;

/// <summary>The hub events a subscription can ask for.</summary>
public static class HubEventNames
{
    public const string ConversationCreated = "conversation.created";
    public const string Handoff = "conversation.handoff";
    public const string MessageCreated = "message.created";
    public const string ConversationClosed = "conversation.closed";

    public static readonly IReadOnlyList<string> All = [ConversationCreated, Handoff, MessageCreated, ConversationClosed];
}
