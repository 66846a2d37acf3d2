using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Hub.Conversations;

/// <summary>One conversation on one channel, with its routing and timing facts.</summary>
/// <param name="ChannelInstance">The connector instance (e.g. web chat site id) it arrived on.</param>
/// <param name="LastSequence">Sequence number of the newest message (0 when none).</param>
/// <param name="CustomerReadSequence">Newest message the customer has seen (read receipt).</param>
/// <param name="AgentReadSequence">Newest message the bot or an agent has seen (read receipt).</param>
/// <param name="BotState">The bot's per-conversation state, as JSON.</param>
public sealed record Conversation(
    string Id,
    string WorkspaceId,
    string Channel,
    string? ChannelInstance,
    string ContactId,
    ConversationMode Mode,
    string? Intent,
    string Priority,
    string? Queue,
    long LastSequence,
    long CustomerReadSequence,
    long AgentReadSequence,
    string? BotState,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstBotReplyAt,
    DateTimeOffset? FirstHumanReplyAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<TicketReference> Tickets);

public sealed record NewConversation(string WorkspaceId, string Channel, string? ChannelInstance, string ContactId, string Priority = "normal");

/// <summary>Fields to change on a conversation; null leaves a field as it is.</summary>
/// <param name="Ticket">A handoff's ticket to create, booked in the helpdesk outbox in the same commit as the change.</param>
public sealed record ConversationUpdate(
    ConversationMode? Mode = null,
    string? Intent = null,
    string? Priority = null,
    string? Queue = null,
    string? BotState = null,
    TicketBooking? Ticket = null);

/// <summary>
/// The ticket a handoff owes one ticketing connector: booked with the queuing itself, so no crash can leave a queued
/// conversation without its ticket. A second booking for the same conversation and connector keeps the first.
/// </summary>
/// <param name="Packet">The routed handoff packet (JSON).</param>
/// <param name="SyncedSeq">The packet carries the conversation up to this sequence number; later customer messages follow as comments.</param>
public sealed record TicketBooking(string ConnectorId, string Route, string? Queue, string Packet, long SyncedSeq);
