namespace IntegrationHub.Hub.Conversations;

public sealed class ConversationClosedException(string conversationId)
    : Exception($"conversation '{conversationId}' is closed")
{
    public string ConversationId { get; } = conversationId;
}

public sealed class ConversationNotFoundException(string conversationId)
    : Exception($"conversation '{conversationId}' does not exist")
{
    public string ConversationId { get; } = conversationId;
}
