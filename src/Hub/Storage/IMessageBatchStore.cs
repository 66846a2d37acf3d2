using System.Data.Common;
using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// How one database stores a batch of messages for the <see cref="MessageWriter"/>: lock and read the batch's
/// conversations, then write the numbered messages and commit. Calls come from one loop, one batch at a time.
/// </summary>
internal interface IMessageBatchStore : IAsyncDisposable
{
    /// <summary>Starts the batch's transaction, locks its conversations and finds messages already stored under its provider message ids.</summary>
    Task<LockedConversations> LockAndReadAsync(IReadOnlyList<string> conversationIds, IReadOnlyList<(string ConversationId, string ProviderMessageId)> keys);

    /// <summary>
    /// Inserts the messages (possibly none), advances their conversations, marks the helpdesk tickets that owe a
    /// customer's new message, and commits. Returns the conversations whose tickets were marked.
    /// </summary>
    /// <remarks>
    /// The ticket mark commits with the message (an outbox): a crash right after the commit cannot leave a customer
    /// message that never reaches its ticket, and nobody has to read the conversation again to find out.
    /// </remarks>
    Task<IReadOnlySet<string>> WriteAndCommitAsync(IReadOnlyList<Message> messages, DateTimeOffset now);

    /// <summary>Ends a batch that failed part way, so the next one starts clean.</summary>
    Task AbortAsync();
}

/// <summary>
/// A store that can write a batch in one round trip, numbered from what the writer believes its conversations to be,
/// where the database checks the belief under the batch's locks before writing anything.
/// </summary>
internal interface IAssumingBatchStore : IMessageBatchStore
{
    /// <summary>
    /// Locks the conversations and, when they are exactly as <paramref name="assumed"/> and none of the
    /// <paramref name="keys"/> is stored yet, writes and commits as <see cref="IMessageBatchStore.WriteAndCommitAsync"/>
    /// does. Otherwise writes nothing and returns null.
    /// </summary>
    Task<IReadOnlySet<string>?> TryWriteAndCommitAsync(LockedConversations assumed, IReadOnlyList<(string ConversationId, string ProviderMessageId)> keys,
        IReadOnlyList<Message> messages, DateTimeOffset now);
}

/// <param name="Conversations">The batch's conversations that exist, by id.</param>
/// <param name="Existing">Messages already stored, by conversation and provider message id.</param>
internal sealed record LockedConversations(Dictionary<string, LockedConversation> Conversations, Dictionary<(string, string), Message> Existing)
{
    public static LockedConversations Empty() => new(new(StringComparer.Ordinal), []);

    /// <summary>Reads one row of <c>id, last_seq, mode, paused</c>.</summary>
    public void AddConversation(DbDataReader reader) =>
        Conversations[reader.GetString(0)] = new LockedConversation(reader.GetInt64(1), EnumText.Parse<ConversationMode>(reader.GetString(2)), reader.GetBoolean(3));

    /// <summary>Reads the rows of <see cref="SqlConversationStore.MessageColumns"/> left in the reader's current result.</summary>
    public async Task AddExistingAsync(DbDataReader reader)
    {
        var parser = Dapper.SqlMapper.GetRowParser<MessageRow>(reader);
        while (await reader.ReadAsync())
        {
            var message = parser(reader).ToMessage();
            Existing[(message.ConversationId, message.ProviderMessageId!)] = message;
        }
    }
}

/// <param name="SlaPaused">SLA clocks wait on the customer: the customer writing resumes them, and knowing it here spares every other message a read of its timers.</param>
internal sealed record LockedConversation(long LastSeq, ConversationMode Mode, bool SlaPaused);

/// <summary>What a batch changes on its conversations, and which conversations owe their tickets a customer message.</summary>
internal sealed record BatchChanges(IReadOnlyList<(string Id, long Seq, bool Bot, bool Human)> Conversations, IReadOnlyList<(string Id, long Seq)> OwedToTickets)
{
    public static BatchChanges Of(IReadOnlyList<Message> messages) => new(
        messages.GroupBy(m => m.ConversationId).Select(g => (
            g.Key,
            g.Max(m => m.Sequence),
            g.Any(m => m.Author == MessageAuthor.Bot && m.Visibility == MessageVisibility.Public),
            g.Any(m => m.Author == MessageAuthor.Agent && m.Visibility == MessageVisibility.Public))).ToList(),
        messages.Where(m => m.Author == MessageAuthor.Customer && m.Visibility == MessageVisibility.Public)
            .GroupBy(m => m.ConversationId).Select(g => (g.Key, g.Max(m => m.Sequence))).ToList());

    /// <summary>The paused-clock check of <see cref="LockedConversation.SlaPaused"/>, for a conversation row named <c>conversations</c>.</summary>
    public const string SlaPausedColumn = "EXISTS (SELECT 1 FROM sla_timers t WHERE t.conversation_id = conversations.id AND t.state = 'paused')";

    public static string? AttachmentsJson(Message m) => m.Attachments.Count == 0 ? null : StoredJson.Write(m.Attachments);
}
