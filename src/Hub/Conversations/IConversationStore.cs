using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Hub.Conversations;

/// <summary>
/// The hub's record of contacts, conversations, messages and events. SQLite and PostgreSQL
/// implement it with one schema.
/// </summary>
/// <remarks>
/// Thread-safe. A completed <see cref="AppendMessageAsync"/> means the message is durable
/// (committed); concurrent appends share commits. Sequence numbers are gap-free per conversation.
/// </remarks>
public interface IConversationStore
{
    /// <summary>Finds the contact by key or creates it, atomically (two racing calls get one contact).</summary>
    Task<Contact> FindOrCreateContactAsync(string workspaceId, ContactKey key, ContactDetails details, CancellationToken cancellationToken = default);

    Task<Contact?> GetContactAsync(string contactId, CancellationToken cancellationToken = default);

    /// <summary>Adds the details (a new email or phone is added, a name replaces the old one).</summary>
    Task<Contact> UpdateContactAsync(string contactId, ContactDetails details, CancellationToken cancellationToken = default);

    /// <summary>
    /// Remembers the contact's id in a connector, so the next ticket skips the vendor lookup. Returns false, storing
    /// nothing, when another hub contact already holds that vendor id (one person who reached us as two contacts, e.g.
    /// the same email from two browsers): the vendor id stays with the first, and the other simply looks it up again.
    /// </summary>
    Task<bool> SetContactExternalIdAsync(string contactId, string connectorId, string externalId, CancellationToken cancellationToken = default);

    Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken = default);

    Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>The contact a conversation belongs to (null when it does not exist). Never changes, so it is cached: the hot path's ownership check.</summary>
    Task<string?> GetConversationContactAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>The contact's conversations, newest first.</summary>
    Task<IReadOnlyList<Conversation>> ListConversationsAsync(string contactId, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>Appends a message; returns the stored one. Throws <see cref="ConversationNotFoundException"/>.</summary>
    Task<AppendResult> AppendMessageAsync(NewMessage message, CancellationToken cancellationToken = default);

    /// <summary>Messages with a sequence number above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<Message>> GetMessagesAsync(string conversationId, long afterSequence = 0, int limit = 500, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bot-mode conversations whose newest public message is the customer's, last written at or after <paramref name="since"/>
    /// and before <paramref name="until"/>: turns a stopped node acknowledged but never answered. Oldest first.
    /// </summary>
    Task<IReadOnlyList<string>> ListAwaitingBotAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default);

    /// <summary>Changes the conversation and appends the event describing why, in one transaction.</summary>
    Task<Conversation> UpdateConversationAsync(string conversationId, ConversationUpdate update, string eventKind, object? eventData = null, CancellationToken cancellationToken = default);

    /// <summary>Records a read receipt; sequence numbers only move forward.</summary>
    Task MarkReadAsync(string conversationId, bool byCustomer, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Links a ticket; one per conversation and connector instance (a second link replaces the first).</summary>
    Task LinkTicketAsync(string conversationId, TicketReference ticket, CancellationToken cancellationToken = default);

    Task<long> AppendEventAsync(string conversationId, string kind, object? data = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConversationEvent>> GetEventsAsync(string conversationId, CancellationToken cancellationToken = default);

    Task<StoredAttachment> SaveAttachmentAsync(string conversationId, string fileName, string contentType, byte[] content, CancellationToken cancellationToken = default);

    Task<(StoredAttachment Attachment, byte[] Content)?> GetAttachmentAsync(string attachmentId, CancellationToken cancellationToken = default);

    /// <summary>A named hub secret (e.g. the visitor token key), created once and shared by every node.</summary>
    Task<string> GetOrCreateSecretAsync(string name, Func<string> create, CancellationToken cancellationToken = default);
}
