using System.Data;
using System.Data.Common;
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
/// </remarks>
internal sealed class MessageWriter : IAsyncDisposable
{
    const int MaxBatch = 256;

    readonly SqlDialect dialect;
    readonly TimeProvider time;
    readonly ILogger logger;
    readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    readonly Task[] loops;

    public MessageWriter(SqlDialect dialect, TimeProvider time, ILogger logger)
    {
        this.dialect = dialect;
        this.time = time;
        this.logger = logger;
        // SQLite has one writer at a time anyway. PostgreSQL overlaps one batch's round trips with the
        // next batch's: batches lock their conversations in id order, so they cannot deadlock.
        loops = Enumerable.Range(0, dialect is PostgresDialect ? 2 : 1).Select(_ => Task.Run(RunAsync)).ToArray();
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
            if (batch.Count == 0) continue; // another loop took them
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

    /// <remarks>
    /// Two round trips per batch, whatever its size: round trips, not rows, are what cost. On
    /// PostgreSQL BEGIN rides on the first and COMMIT on the second; SQLite, in-process, uses its
    /// ordinary transaction.
    /// </remarks>
    async Task CommitAsync(List<Pending> batch)
    {
        var now = time.GetUtcNow();
        var inline = dialect is PostgresDialect;
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        await using var transaction = inline ? null : await connection.BeginTransactionAsync();
        try
        {
            await CommitAsync(batch, connection, transaction, now);
        }
        catch when (inline)
        {
            // The failed statement left the transaction open and aborted: end it before the pool reuses the connection.
            try { await Execute(connection, null, "ROLLBACK"); } catch (DbException) { }
            throw;
        }
    }

    async Task CommitAsync(List<Pending> batch, DbConnection connection, DbTransaction? transaction, DateTimeOffset now)
    {
        var (lastSeq, modes, paused, existing) = await LockAndReadAsync(connection, transaction, batch);

        var outcomes = new (AppendResult? Result, Exception? Error)[batch.Count];
        var inserted = new List<Message>();
        var seenInBatch = new Dictionary<(string, string), Message>();
        for (var i = 0; i < batch.Count; i++)
        {
            var m = batch[i].Message;
            if (!lastSeq.TryGetValue(m.ConversationId, out var last))
            {
                outcomes[i] = (null, new ConversationNotFoundException(m.ConversationId));
                continue;
            }
            var mode = modes[m.ConversationId];
            if (m.ProviderMessageId is { } providerId &&
                (existing.TryGetValue((m.ConversationId, providerId), out var earlier) || seenInBatch.TryGetValue((m.ConversationId, providerId), out earlier)))
            {
                outcomes[i] = (new AppendResult(earlier, Duplicate: true, mode), null);
                continue;
            }
            if (m.RequireOpen && mode == ConversationMode.Closed)
            {
                outcomes[i] = (null, new ConversationClosedException(m.ConversationId));
                continue;
            }
            var stored = new Message(m.ConversationId, last + 1, m.Author, m.Visibility, m.Body, m.AuthorName, m.Attachments ?? [], m.ProviderMessageId, now);
            lastSeq[m.ConversationId] = stored.Sequence;
            if (m.ProviderMessageId is not null) seenInBatch[(m.ConversationId, m.ProviderMessageId)] = stored;
            inserted.Add(stored);
            outcomes[i] = (new AppendResult(stored, Duplicate: false, mode, SlaPaused: paused.Contains(m.ConversationId)), null);
        }

        IReadOnlySet<string> ticketSyncDue = new HashSet<string>();
        if (inserted.Count > 0) ticketSyncDue = await WriteAsync(connection, transaction, inserted, now, inline: transaction is null);
        else if (transaction is null) await Execute(connection, null, "COMMIT");
        if (transaction is not null) await transaction.CommitAsync();

        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error) batch[i].Result.TrySetException(error);
            else if (outcomes[i].Result is { Duplicate: false } result && ticketSyncDue.Contains(result.Message.ConversationId))
                batch[i].Result.TrySetResult(result with { TicketSyncDue = true });
            else batch[i].Result.TrySetResult(outcomes[i].Result!);
        }
    }

    /// <summary>
    /// One round trip: lock the batch's conversations (in id order, so two nodes' batches cannot
    /// deadlock) and read their sequence, mode and whether SLA clocks wait on the customer; then find
    /// messages already stored under the batch's provider message ids.
    /// </summary>
    async Task<(Dictionary<string, long> LastSeq, Dictionary<string, ConversationMode> Modes, HashSet<string> SlaPaused, Dictionary<(string, string), Message> Existing)>
        LockAndReadAsync(DbConnection connection, DbTransaction? transaction, List<Pending> batch)
    {
        await using var command = Command(connection, transaction);
        var ids = batch.Select(p => p.Message.ConversationId).Distinct().Order(StringComparer.Ordinal).Select((id, i) => Parameter(command, $"c{i}", id));
        // Paused clocks resume when the customer writes: knowing it here spares every other message a read of its timers.
        command.CommandText = (transaction is null ? "BEGIN;\n" : "")
            + "SELECT id, last_seq, mode, EXISTS (SELECT 1 FROM sla_timers t WHERE t.conversation_id = conversations.id AND t.state = 'paused') "
            + $"FROM conversations WHERE id IN ({string.Join(", ", ids)}) ORDER BY id{dialect.ForUpdate};";
        var keys = batch.Select(p => p.Message).Where(m => m.ProviderMessageId is not null).Select(m => (m.ConversationId, m.ProviderMessageId!)).Distinct().ToList();
        if (keys.Count > 0)
        {
            var conditions = keys.Select((k, i) =>
                $"(conversation_id = {Parameter(command, $"k{i}", k.Item1)} AND provider_message_id = {Parameter(command, $"p{i}", k.Item2)})");
            command.CommandText += $"\nSELECT {SqlConversationStore.MessageColumns} FROM messages WHERE {string.Join(" OR ", conditions)};";
        }

        var lastSeq = new Dictionary<string, long>(StringComparer.Ordinal);
        var modes = new Dictionary<string, ConversationMode>(StringComparer.Ordinal);
        var paused = new HashSet<string>(StringComparer.Ordinal);
        var existing = new Dictionary<(string, string), Message>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lastSeq[reader.GetString(0)] = reader.GetInt64(1);
            modes[reader.GetString(0)] = EnumText.Parse<ConversationMode>(reader.GetString(2));
            if (reader.GetBoolean(3)) paused.Add(reader.GetString(0));
        }
        if (keys.Count > 0 && await reader.NextResultAsync())
        {
            var parser = Dapper.SqlMapper.GetRowParser<MessageRow>(reader);
            while (await reader.ReadAsync())
            {
                var message = parser(reader).ToMessage();
                existing[(message.ConversationId, message.ProviderMessageId!)] = message;
            }
        }
        return (lastSeq, modes, paused, existing);
    }

    /// <summary>
    /// One round trip: mark the helpdesk tickets that owe the customer's new messages, insert the rows, and advance each
    /// conversation's sequence and first-reply times. Returns the conversations whose tickets were marked.
    /// </summary>
    /// <remarks>
    /// The ticket mark commits with the message (an outbox): a crash right after the commit cannot leave a customer
    /// message that never reaches its ticket, and nobody has to read the conversation again to find out.
    /// </remarks>
    /// <param name="inline">PostgreSQL: notify other nodes with the commit, and commit in the same round trip.</param>
    static async Task<IReadOnlySet<string>> WriteAsync(DbConnection connection, DbTransaction? transaction, List<Message> messages, DateTimeOffset now, bool inline)
    {
        await using var command = Command(connection, transaction);
        // First, so that its rows are the reader's first result set.
        var customer = messages.Where(m => m.Author == MessageAuthor.Customer && m.Visibility == MessageVisibility.Public)
            .GroupBy(m => m.ConversationId).Select((group, i) => $"({Parameter(command, $"w{i}", group.Key)}, {Parameter(command, $"x{i}", group.Max(m => m.Sequence))})")
            .ToList();
        if (customer.Count > 0)
            command.CommandText = $"""
                WITH w (id, seq) AS (VALUES {string.Join(", ", customer)})
                UPDATE ticket_sync SET wanted_seq = w.seq FROM w
                WHERE ticket_sync.conversation_id = w.id AND ticket_sync.wanted_seq < w.seq
                RETURNING conversation_id;

                """;
        var rows = messages.Select((m, i) => "(" + string.Join(", ",
            Parameter(command, $"c{i}", m.ConversationId),
            Parameter(command, $"s{i}", m.Sequence),
            Parameter(command, $"a{i}", m.Author.ToText()),
            Parameter(command, $"v{i}", m.Visibility.ToText()),
            Parameter(command, $"b{i}", m.Body),
            Parameter(command, $"n{i}", m.AuthorName),
            Parameter(command, $"f{i}", m.Attachments.Count == 0 ? null : StoredJson.Write(m.Attachments)),
            Parameter(command, $"p{i}", m.ProviderMessageId),
            Parameter(command, $"t{i}", m.CreatedAt)) + ")");
        // One UPDATE for all conversations: one statement to parse and plan, not one per conversation.
        var nowName = Parameter(command, "now", now);
        var values = messages.GroupBy(m => m.ConversationId).Select((group, i) => "(" + string.Join(", ",
            Parameter(command, $"u{i}", group.Key),
            Parameter(command, $"q{i}", group.Max(m => m.Sequence)),
            Parameter(command, $"r{i}", group.Any(m => m.Author == MessageAuthor.Bot && m.Visibility == MessageVisibility.Public) ? now : null, DbType.DateTimeOffset),
            Parameter(command, $"h{i}", group.Any(m => m.Author == MessageAuthor.Agent && m.Visibility == MessageVisibility.Public) ? now : null, DbType.DateTimeOffset)) + ")");
        command.CommandText += "INSERT INTO messages (conversation_id, seq, author, visibility, body, author_name, attachments, provider_message_id, created_at) VALUES "
            + string.Join(", ", rows) + ";\n"
            + $"""
              WITH v (id, seq, bot_at, human_at) AS (VALUES {string.Join(", ", values)})
              UPDATE conversations SET last_seq = v.seq, updated_at = {nowName},
                  first_bot_reply_at = COALESCE(conversations.first_bot_reply_at, v.bot_at),
                  first_human_reply_at = COALESCE(conversations.first_human_reply_at, v.human_at)
              FROM v
              WHERE conversations.id = v.id;
              """;
        if (inline)
        {
            // Other nodes' live streams learn of the commit with it (NOTIFY is delivered on commit only).
            // Payloads stay under PostgreSQL's 8,000-byte limit: 100 conversations per notification.
            var latest = messages.GroupBy(m => m.ConversationId).Select(g => new object[] { g.Key, g.Max(m => m.Sequence) }).ToList();
            var notes = latest.Chunk(100).Select((chunk, i) =>
                $"SELECT pg_notify('{Realtime.PostgresFeedRelay.MessagesChannel}', {Parameter(command, $"note{i}", System.Text.Json.JsonSerializer.Serialize(chunk))});");
            command.CommandText += "\n" + string.Join("\n", notes) + "\nCOMMIT;";
        }
        var marked = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        if (customer.Count > 0)
            while (await reader.ReadAsync()) marked.Add(reader.GetString(0));
        while (await reader.NextResultAsync()) { } // the remaining statements, up to COMMIT, run as the reader passes them
        return marked;
    }

    static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        await using var command = Command(connection, transaction);
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    static DbCommand Command(DbConnection connection, DbTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    static string Parameter(DbCommand command, string name, object? value, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        if (type is { } t) parameter.DbType = t; // a NULL in VALUES needs its type spelled out for PostgreSQL
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(loops);
    }

    sealed record Pending(NewMessage Message, TaskCompletionSource<AppendResult> Result);
}
