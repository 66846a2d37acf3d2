namespace IntegrationHub.Hub.Conversations;

/// <summary>Told by <see cref="ConversationService"/> after a conversation's close is committed (e.g. to schedule its transcript sync).</summary>
public interface IConversationClosedListener
{
    Task OnClosedAsync(Conversation conversation, CancellationToken cancellationToken = default);
}
