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
    // One loop: SQLite has one writer anyway, and on PostgreSQL a second loop overlapping round trips halved the
    // batches and cost more database CPU per message than it saved in waiting (measured with the ingest benchmark).
    readonly Task loop;

    public MessageWriter(SqlDialect dialect, TimeProvider time, ILogger logger)
    {
        this.dialect = dialect;
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

    /// <remarks>
    /// Two round trips per batch, whatever its size: round trips, not rows, are what cost. On
    /// PostgreSQL BEGIN rides on the first and COMMIT on the second; SQLite, in-process, uses its
    /// ordinary transaction.
    /// </remarks>
    async Task CommitAsync(List<Pending> batch)
    {
        var now = time.GetUtcNow();
        var postgres = dialect is PostgresDialect;
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        await using var transaction = postgres ? null : await connection.BeginTransactionAsync();
        try
        {
            await CommitAsync(batch, connection, transaction, now);
        }
        catch when (postgres)
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
        if (inserted.Count > 0) ticketSyncDue = await WriteAsync(connection, transaction, inserted, now, postgres: transaction is null);
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
        var ids = batch.Select(p => p.Message.ConversationId).Distinct().Order(StringComparer.Ordinal).ToArray();
        var keys = batch.Select(p => p.Message).Where(m => m.ProviderMessageId is not null).Select(m => (m.ConversationId, m.ProviderMessageId!)).Distinct().ToList();
        // Paused clocks resume when the customer writes: knowing it here spares every other message a read of its timers.
        const string columns = "SELECT id, last_seq, mode, EXISTS (SELECT 1 FROM sla_timers t WHERE t.conversation_id = conversations.id AND t.state = 'paused') FROM conversations";
        if (transaction is null)
        {
            // PostgreSQL: arrays instead of one parameter per value keep the statement text the same for every batch
            // size, so the server parses and plans it once per connection (auto-prepared) instead of once per batch.
            command.CommandText = $"BEGIN;\n{columns} WHERE id = ANY({Parameter(command, "ids", ids)}) ORDER BY id{dialect.ForUpdate};";
            if (keys.Count > 0)
                command.CommandText += $"""

                    SELECT {SqlConversationStore.MessageColumns} FROM messages
                    JOIN unnest({Parameter(command, "kc", keys.Select(k => k.Item1).ToArray())}::text[], {Parameter(command, "kp", keys.Select(k => k.Item2).ToArray())}::text[]) AS k (c, p)
                      ON conversation_id = k.c AND provider_message_id = k.p;
                    """;
        }
        else
        {
            command.CommandText = $"{columns} WHERE id IN ({string.Join(", ", ids.Select((id, i) => Parameter(command, $"c{i}", id)))}) ORDER BY id{dialect.ForUpdate};";
            if (keys.Count > 0)
            {
                var conditions = keys.Select((k, i) =>
                    $"(conversation_id = {Parameter(command, $"k{i}", k.Item1)} AND provider_message_id = {Parameter(command, $"p{i}", k.Item2)})");
                command.CommandText += $"\nSELECT {SqlConversationStore.MessageColumns} FROM messages WHERE {string.Join(" OR ", conditions)};";
            }
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
    /// <param name="postgres">Notify other nodes with the commit, and commit in the same round trip.</param>
    static async Task<IReadOnlySet<string>> WriteAsync(DbConnection connection, DbTransaction? transaction, List<Message> messages, DateTimeOffset now, bool postgres)
    {
        await using var command = Command(connection, transaction);
        var owed = messages.Where(m => m.Author == MessageAuthor.Customer && m.Visibility == MessageVisibility.Public)
            .GroupBy(m => m.ConversationId).Select(g => (Id: g.Key, Seq: g.Max(m => m.Sequence))).ToList();
        var conversations = messages.GroupBy(m => m.ConversationId).Select(g => (
            Id: g.Key,
            Seq: g.Max(m => m.Sequence),
            Bot: g.Any(m => m.Author == MessageAuthor.Bot && m.Visibility == MessageVisibility.Public),
            Human: g.Any(m => m.Author == MessageAuthor.Agent && m.Visibility == MessageVisibility.Public))).ToList();
        var nowName = Parameter(command, "now", now);
        string owedRows, insert, conversationRows;
        if (postgres)
        {
            // The same text for every batch (see LockAndReadAsync), so it is parsed and planned once per connection.
            owedRows = $"SELECT * FROM unnest({Parameter(command, "wc", owed.Select(o => o.Id).ToArray())}::text[], {Parameter(command, "ws", owed.Select(o => o.Seq).ToArray())}::bigint[])";
            insert = "SELECT * FROM unnest(" + string.Join(", ",
                Parameter(command, "c", messages.Select(m => m.ConversationId).ToArray()) + "::text[]",
                Parameter(command, "s", messages.Select(m => m.Sequence).ToArray()) + "::bigint[]",
                Parameter(command, "a", messages.Select(m => m.Author.ToText()).ToArray()) + "::text[]",
                Parameter(command, "v", messages.Select(m => m.Visibility.ToText()).ToArray()) + "::text[]",
                Parameter(command, "b", messages.Select(m => m.Body).ToArray()) + "::text[]",
                Parameter(command, "n", messages.Select(m => m.AuthorName).ToArray()) + "::text[]",
                Parameter(command, "f", messages.Select(AttachmentsJson).ToArray()) + "::text[]",
                Parameter(command, "p", messages.Select(m => m.ProviderMessageId).ToArray()) + "::text[]",
                Parameter(command, "t", messages.Select(m => m.CreatedAt).ToArray()) + "::timestamptz[]") + ")";
            conversationRows = "SELECT * FROM unnest(" + string.Join(", ",
                Parameter(command, "u", conversations.Select(c => c.Id).ToArray()) + "::text[]",
                Parameter(command, "q", conversations.Select(c => c.Seq).ToArray()) + "::bigint[]",
                Parameter(command, "r", conversations.Select(c => c.Bot).ToArray()) + "::boolean[]",
                Parameter(command, "h", conversations.Select(c => c.Human).ToArray()) + "::boolean[]") + ")";
        }
        else
        {
            owedRows = $"VALUES {string.Join(", ", owed.Select((o, i) => $"({Parameter(command, $"w{i}", o.Id)}, {Parameter(command, $"x{i}", o.Seq)})"))}";
            insert = "VALUES " + string.Join(", ", messages.Select((m, i) => "(" + string.Join(", ",
                Parameter(command, $"c{i}", m.ConversationId),
                Parameter(command, $"s{i}", m.Sequence),
                Parameter(command, $"a{i}", m.Author.ToText()),
                Parameter(command, $"v{i}", m.Visibility.ToText()),
                Parameter(command, $"b{i}", m.Body),
                Parameter(command, $"n{i}", m.AuthorName),
                Parameter(command, $"f{i}", AttachmentsJson(m)),
                Parameter(command, $"p{i}", m.ProviderMessageId),
                Parameter(command, $"t{i}", m.CreatedAt)) + ")"));
            conversationRows = "VALUES " + string.Join(", ", conversations.Select((c, i) => "(" + string.Join(", ",
                Parameter(command, $"u{i}", c.Id), Parameter(command, $"q{i}", c.Seq), Parameter(command, $"r{i}", c.Bot), Parameter(command, $"h{i}", c.Human)) + ")"));
        }

        // The ticket mark first, so that its rows are the reader's first result set.
        var markTickets = postgres || owed.Count > 0;
        if (markTickets)
            command.CommandText = $"""
                WITH w (id, seq) AS ({owedRows})
                UPDATE ticket_sync SET wanted_seq = w.seq FROM w
                WHERE ticket_sync.conversation_id = w.id AND ticket_sync.wanted_seq < w.seq
                RETURNING ticket_sync.conversation_id;

                """;
        // One UPDATE for all conversations: one statement to parse and plan, not one per conversation.
        command.CommandText += $"""
            INSERT INTO messages ({SqlConversationStore.MessageColumns}) {insert};
            WITH v (id, seq, bot, human) AS ({conversationRows})
            UPDATE conversations SET last_seq = v.seq, updated_at = {nowName},
                first_bot_reply_at = COALESCE(conversations.first_bot_reply_at, CASE WHEN v.bot THEN {nowName} END),
                first_human_reply_at = COALESCE(conversations.first_human_reply_at, CASE WHEN v.human THEN {nowName} END)
            FROM v
            WHERE conversations.id = v.id;
            """;
        if (postgres)
        {
            // Other nodes' live streams learn of the commit with it (NOTIFY is delivered on commit only).
            // Payloads stay under PostgreSQL's 8,000-byte limit: 100 conversations per notification.
            var notes = conversations.Chunk(100).Select((chunk, i) =>
                $"SELECT pg_notify('{Realtime.PostgresFeedRelay.MessagesChannel}', {Parameter(command, $"note{i}", System.Text.Json.JsonSerializer.Serialize(chunk.Select(c => new object[] { c.Id, c.Seq })))});");
            command.CommandText += "\n" + string.Join("\n", notes) + "\nCOMMIT;";
        }
        var marked = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        if (markTickets)
            while (await reader.ReadAsync()) marked.Add(reader.GetString(0));
        while (await reader.NextResultAsync()) { } // the remaining statements, up to COMMIT, run as the reader passes them
        return marked;
    }

    static string? AttachmentsJson(Message m) => m.Attachments.Count == 0 ? null : StoredJson.Write(m.Attachments);

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

    static string Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    sealed record Pending(NewMessage Message, TaskCompletionSource<AppendResult> Result);
}
