namespace IntegrationHub.Hub.Conversations;

/// <summary>
/// Told by <see cref="ConversationService"/> after a mode change is committed (handoff, human pick-up, close):
/// schedules durable work such as SLA timers and the transcript sync.
/// </summary>
public interface IConversationModeListener
{
    Task OnModeChangedAsync(Conversation conversation, CancellationToken cancellationToken = default);
}
