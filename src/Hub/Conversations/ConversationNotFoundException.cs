namespace IntegrationHub.Hub.Conversations;

public sealed class ConversationNotFoundException(string conversationId)
    : Exception($"conversation '{conversationId}' does not exist")
{
    public string ConversationId { get; } = conversationId;
}
