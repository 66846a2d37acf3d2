using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Realtime;

/// <summary>Something that happened in a conversation, for whoever is watching it live.</summary>
public abstract record FeedEvent(string ConversationId);

/// <summary>A message was committed. Subscribers re-read the store on a gap, so none is lost.</summary>
public sealed record MessageAppended(Message Message) : FeedEvent(Message.ConversationId);

/// <summary>Messages up to <paramref name="UpToSequence"/> were committed on another node: read them from the store.</summary>
public sealed record MessagesCommitted(string ConversationId, long UpToSequence) : FeedEvent(ConversationId);

/// <summary>Someone started or stopped typing. Ephemeral: not stored.</summary>
public sealed record TypingChanged(string ConversationId, MessageAuthor Author, string? Name, bool Typing) : FeedEvent(ConversationId);

/// <summary>A read receipt: the customer (or the bot/agent side) has seen messages up to <paramref name="Sequence"/>.</summary>
public sealed record ReadReceipt(string ConversationId, bool ByCustomer, long Sequence) : FeedEvent(ConversationId);

/// <summary>The conversation's mode changed (handoff, close, reopen) or the hub has a notice for the customer.</summary>
public sealed record StatusChanged(string ConversationId, ConversationMode Mode, string? Notice = null, bool CaptureContact = false) : FeedEvent(ConversationId);
