using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.OutboundWebhooks;
using IntegrationHub.Hub.Realtime;

namespace IntegrationHub.Hub.Conversations;

/// <summary>
/// The journey's write path for every channel: store first, then tell live watchers, then wake
/// the automation. Channels call this, never the store directly, so no step is skipped.
/// </summary>
public sealed class ConversationService(IConversationStore store, ConversationFeed feed, CustomerTurns turns, IRedactor redactor,
    IEnumerable<IConversationModeListener> modeListeners, IHubEventSink events)
{
    public IConversationStore Store => store;

    public async Task<Conversation> StartAsync(Contact contact, string channel, string? channelInstance, CancellationToken cancellationToken = default)
    {
        var conversation = await store.CreateConversationAsync(new NewConversation(contact.WorkspaceId, channel, channelInstance, contact.Id), cancellationToken);
        await events.PublishAsync(HubEventNames.ConversationCreated, conversation.Id, new { channel, channelInstance, contactId = contact.Id }, cancellationToken);
        return conversation;
    }

    /// <summary>
    /// Stores a customer message (once per provider message id) and wakes the automation. Card numbers and
    /// configured patterns are masked first: the original text is never persisted. Throws <see cref="ConversationClosedException"/>.
    /// </summary>
    public async Task<AppendResult> ReceiveFromCustomerAsync(
        string conversationId, string body, string? providerMessageId, IReadOnlyList<AttachmentInfo>? attachments = null, CancellationToken cancellationToken = default)
    {
        var result = await store.AppendMessageAsync(
            new NewMessage(conversationId, MessageAuthor.Customer, redactor.Redact(body), Attachments: attachments, ProviderMessageId: providerMessageId, RequireOpen: true), cancellationToken);
        if (!result.Duplicate)
        {
            feed.Publish(new MessageAppended(result.Message));
            // Bot mode: the bot's turn; queued/human mode: wake the ticket sync, and resume or start SLA clocks.
            turns.Enqueue(result);
            await PublishMessageAsync(result.Message, cancellationToken);
        }
        return result;
    }

    /// <summary>Stores a bot, agent or system message and delivers it to live watchers.</summary>
    public async Task<Message> PostAsync(string conversationId, MessageAuthor author, string body, MessageVisibility visibility = MessageVisibility.Public,
        string? authorName = null, string? providerMessageId = null, CancellationToken cancellationToken = default)
    {
        var result = await store.AppendMessageAsync(new NewMessage(conversationId, author, body, visibility, authorName, ProviderMessageId: providerMessageId), cancellationToken);
        if (!result.Duplicate)
        {
            feed.Publish(new MessageAppended(result.Message));
            await PublishMessageAsync(result.Message, cancellationToken);
        }
        return result.Message;
    }

    Task PublishMessageAsync(Message message, CancellationToken cancellationToken) =>
        events.PublishAsync(HubEventNames.MessageCreated, message.ConversationId, new
        {
            message.Sequence, author = message.Author.ToText(), visibility = message.Visibility.ToText(), message.AuthorName, message.Body, message.CreatedAt,
        }, cancellationToken);

    /// <summary>Changes mode (and routing fields), logs the event, and tells the customer's open widget.</summary>
    public async Task<Conversation> ChangeAsync(string conversationId, ConversationUpdate update, string eventKind, object? eventData = null,
        string? notice = null, bool captureContact = false, CancellationToken cancellationToken = default)
    {
        var conversation = await store.UpdateConversationAsync(conversationId, update, eventKind, eventData, cancellationToken);
        feed.Publish(new StatusChanged(conversationId, conversation.Mode, notice, captureContact));
        if (update.Mode is not null)
            foreach (var listener in modeListeners) await listener.OnModeChangedAsync(conversation, cancellationToken);
        if (eventKind == ConversationEventKinds.Handoff)
            await events.PublishAsync(HubEventNames.Handoff, conversationId, new { conversation.Queue, conversation.Priority, conversation.Intent, details = eventData }, cancellationToken);
        if (update.Mode == ConversationMode.Closed)
            await events.PublishAsync(HubEventNames.ConversationClosed, conversationId, new { conversation.ClosedAt, details = eventData }, cancellationToken);
        return conversation;
    }

    public void Typing(string conversationId, MessageAuthor author, bool typing, string? name = null) =>
        feed.Publish(new TypingChanged(conversationId, author, name, typing));

    public async Task MarkReadAsync(string conversationId, bool byCustomer, long sequence, CancellationToken cancellationToken = default)
    {
        await store.MarkReadAsync(conversationId, byCustomer, sequence, cancellationToken);
        feed.Publish(new ReadReceipt(conversationId, byCustomer, sequence));
    }
}
