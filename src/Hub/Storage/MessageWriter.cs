using System.Threading.Channels;
using IntegrationHub.Hub.Conversations;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// Group commit: concurrent appends wait in a queue and a writer loop takes all that are waiting
/// and writes them in one transaction, so many messages share one fsync. A caller's task completes only after the
/// commit that holds its message.
/// </summary>
/// <remarks>
/// Sequence numbers come from the conversation row, read under a row lock (PostgreSQL) or the
/// database write lock (SQLite), so writers on other nodes cannot interleave or leave gaps.
/// How each database reads and writes a batch fastest is its <see cref="IMessageBatchStore"/>'s business.
/// </remarks>
internal sealed class MessageWriter : IAsyncDisposable
{
    const int MaxBatch = 256;

    readonly IMessageBatchStore store;
    // Each conversation as this writer's last commit left it (only the writer loop touches it).
    readonly Dictionary<string, LockedConversation> known = new(StringComparer.Ordinal);
    readonly TimeProvider time;
    readonly ILogger logger;
    readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    // One loop: SQLite has one writer anyway, and on PostgreSQL a second loop overlapping round trips halved the
    // batches and cost more database CPU per message than it saved in waiting (measured with the ingest benchmark).
    readonly Task loop;

    public MessageWriter(SqlDialect dialect, TimeProvider time, ILogger logger)
    {
        store = dialect is PostgresDialect postgres ? new PostgresMessageBatchStore(postgres) : new SqliteMessageBatchStore(dialect);
        this.time = time;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    public Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken)
    {
        var pending = new Pending(message, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(MessageWriter));
        // Cancelling stops the wait, not the write: the message may still be committed.
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await CommitAsync(batch);
            }
            catch (Exception e) when (batch.Count > 1)
            {
                // One bad message must not fail its neighbours: retry each on its own.
                logger.LogWarning(e, "group commit of {Count} messages failed; retrying one by one", batch.Count);
                foreach (var single in batch)
                {
                    try { await CommitAsync([single]); }
                    catch (Exception inner) { single.Result.TrySetException(inner); }
                }
            }
            catch (Exception e)
            {
                batch[0].Result.TrySetException(e);
            }
            batch.Clear();
        }
    }

    async Task CommitAsync(List<Pending> batch)
    {
        var now = time.GetUtcNow();
        var ids = batch.Select(p => p.Message.ConversationId).Distinct().Order(StringComparer.Ordinal).ToList();
        var keys = batch.Select(p => p.Message).Where(m => m.ProviderMessageId is not null).Select(m => (m.ConversationId, m.ProviderMessageId!)).Distinct().ToList();
        try
        {
            if (store is IAssumingBatchStore assuming && Known(ids) is { } assumed)
            {
                // The usual case on one node: nobody else wrote these conversations since this writer's last commit, so
                // number the batch from what it already knows and let the database check that in the same round trip.
                var (guessed, toInsert) = Decide(batch, assumed, now);
                if (await assuming.TryWriteAndCommitAsync(assumed, keys, toInsert, now) is { } marked)
                {
                    Complete(batch, guessed, marked);
                    Remember(assumed, toInsert);
                    return;
                }
            }
            var state = await store.LockAndReadAsync(ids, keys);
            var (outcomes, inserted) = Decide(batch, state, now);
            var ticketSyncDue = await store.WriteAndCommitAsync(inserted, now);
            Complete(batch, outcomes, ticketSyncDue);
            Remember(state, inserted);
        }
        catch
        {
            foreach (var id in ids) known.Remove(id);
            await store.AbortAsync();
            throw;
        }
    }

    static void Complete(List<Pending> batch, (AppendResult? Result, Exception? Error)[] outcomes, IReadOnlySet<string> ticketSyncDue)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error) batch[i].Result.TrySetException(error);
            else if (outcomes[i].Result is { Duplicate: false } result && ticketSyncDue.Contains(result.Message.ConversationId))
                batch[i].Result.TrySetResult(result with { TicketSyncDue = true });
            else batch[i].Result.TrySetResult(outcomes[i].Result!);
        }
    }

    /// <summary>The batch's conversations as this writer left them, when it knows all of them.</summary>
    LockedConversations? Known(List<string> ids)
    {
        var assumed = LockedConversations.Empty();
        foreach (var id in ids)
        {
            if (!known.TryGetValue(id, out var conversation)) return null;
            assumed.Conversations[id] = conversation;
        }
        return assumed;
    }

    void Remember(LockedConversations state, List<Message> inserted)
    {
        if (known.Count > 50_000) known.Clear(); // bounded: a forgotten conversation costs one round trip
        foreach (var (id, conversation) in state.Conversations) known[id] = conversation;
        foreach (var m in inserted) known[m.ConversationId] = known[m.ConversationId] with { LastSeq = m.Sequence };
    }

    /// <summary>Numbers the batch's new messages after each conversation's last, and settles duplicates, closed and unknown conversations.</summary>
    static ((AppendResult? Result, Exception? Error)[] Outcomes, List<Message> Inserted) Decide(List<Pending> batch, LockedConversations state, DateTimeOffset now)
    {
        var outcomes = new (AppendResult? Result, Exception? Error)[batch.Count];
        var inserted = new List<Message>();
        var lastSeq = new Dictionary<string, long>(StringComparer.Ordinal);
        var seenInBatch = new Dictionary<(string, string), Message>();
        for (var i = 0; i < batch.Count; i++)
        {
            var m = batch[i].Message;
            if (!state.Conversations.TryGetValue(m.ConversationId, out var conversation))
            {
                outcomes[i] = (null, new ConversationNotFoundException(m.ConversationId));
                continue;
            }
            if (m.ProviderMessageId is { } providerId &&
                (state.Existing.TryGetValue((m.ConversationId, providerId), out var earlier) || seenInBatch.TryGetValue((m.ConversationId, providerId), out earlier)))
            {
                outcomes[i] = (new AppendResult(earlier, Duplicate: true, conversation.Mode), null);
                continue;
            }
            if (m.RequireOpen && conversation.Mode == ConversationMode.Closed)
            {
                outcomes[i] = (null, new ConversationClosedException(m.ConversationId));
                continue;
            }
            var last = lastSeq.TryGetValue(m.ConversationId, out var l) ? l : conversation.LastSeq;
            var stored = new Message(m.ConversationId, last + 1, m.Author, m.Visibility, m.Body, m.AuthorName, m.Attachments ?? [], m.ProviderMessageId, now);
            lastSeq[m.ConversationId] = stored.Sequence;
            if (m.ProviderMessageId is not null) seenInBatch[(m.ConversationId, m.ProviderMessageId)] = stored;
            inserted.Add(stored);
            outcomes[i] = (new AppendResult(stored, Duplicate: false, conversation.Mode, SlaPaused: conversation.SlaPaused), null);
        }
        return (outcomes, inserted);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
        await store.DisposeAsync();
    }

    sealed record Pending(NewMessage Message, TaskCompletionSource<AppendResult> Result);
}
