using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Hub.Conversations;

/// <summary>A stored message. (ConversationId, Sequence) identifies it; sequences are gap-free per conversation.</summary>
/// <param name="ProviderMessageId">The channel's id for the message; the same id is stored once per conversation.</param>
public sealed record Message(
    string ConversationId,
    long Sequence,
    MessageAuthor Author,
    MessageVisibility Visibility,
    string Body,
    string? AuthorName,
    IReadOnlyList<AttachmentInfo> Attachments,
    string? ProviderMessageId,
    DateTimeOffset CreatedAt)
{
    public TranscriptMessage ToTranscript() =>
        new(Sequence, Author.ToText(), Visibility.ToText(), Body, CreatedAt, AuthorName, Attachments);
}

/// <summary>A message to append. Its sequence number is given by the store.</summary>
/// <param name="RequireOpen">Refuse (<see cref="ConversationClosedException"/>) when the conversation is closed, decided under the same lock as the append.</param>
public sealed record NewMessage(
    string ConversationId,
    MessageAuthor Author,
    string Body,
    MessageVisibility Visibility = MessageVisibility.Public,
    string? AuthorName = null,
    IReadOnlyList<AttachmentInfo>? Attachments = null,
    string? ProviderMessageId = null,
    bool RequireOpen = false);

/// <summary>
/// The stored message, whether it had been stored before under the same provider message id, and the conversation's
/// mode then. <paramref name="TicketSyncDue"/>: the same commit marked the conversation's helpdesk tickets as owing it.
/// <paramref name="SlaPaused"/>: SLA clocks were waiting on the customer when it was stored.
/// </summary>
public sealed record AppendResult(Message Message, bool Duplicate, ConversationMode Mode, bool TicketSyncDue = false, bool SlaPaused = false);
