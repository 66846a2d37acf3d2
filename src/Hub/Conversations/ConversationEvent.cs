namespace IntegrationHub.Hub.Conversations;

/// <summary>An entry of the append-only event log: handoff, transfer, status change, SLA, CSAT…</summary>
/// <param name="Data">Event details as a JSON object.</param>
public sealed record ConversationEvent(long Id, string WorkspaceId, string ConversationId, string Kind, string Data, DateTimeOffset CreatedAt);

/// <summary>Well-known event kinds.</summary>
public static class ConversationEventKinds
{
    public const string Created = "conversation.created";
    public const string StatusChanged = "conversation.status_changed";
    public const string Handoff = "conversation.handoff";
    public const string Transfer = "conversation.transfer";
    public const string TicketLinked = "conversation.ticket_linked";
    public const string ContactCaptured = "conversation.contact_captured";
    /// <summary>The bot answered a turn: action, intent, confidence (no message text).</summary>
    public const string BotTurn = "conversation.bot_turn";
}
