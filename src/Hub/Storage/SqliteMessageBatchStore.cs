using System.Data.Common;
using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// SQLite, in-process: no round trips to save, so one small statement per row, each prepared once on the writer's own
/// connection and re-run with new values. One statement with a parameter per value would be parsed for every batch,
/// and SQLite looks its parameters up by name one after another, a cost that grows with the square of the batch.
/// </summary>
internal sealed class SqliteMessageBatchStore(SqlDialect dialect) : IMessageBatchStore
{
    Statements? statements;
    DbTransaction? transaction;

    public async Task<LockedConversations> LockAndReadAsync(IReadOnlyList<string> conversationIds, IReadOnlyList<(string ConversationId, string ProviderMessageId)> keys)
    {
        statements ??= await Statements.OpenAsync(dialect);
        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) takes the database's one write lock: no other writer, on
        // this node or another process, can number messages until the commit.
        transaction = await statements.Connection.BeginTransactionAsync();
        statements.Enlist(transaction);
        var state = LockedConversations.Empty();
        foreach (var id in conversationIds)
        {
            statements.Conversation.Parameters[0].Value = id;
            await using var reader = await statements.Conversation.ExecuteReaderAsync();
            if (await reader.ReadAsync()) state.AddConversation(reader);
        }
        foreach (var (conversationId, providerMessageId) in keys)
        {
            statements.Existing.Parameters[0].Value = conversationId;
            statements.Existing.Parameters[1].Value = providerMessageId;
            await using var reader = await statements.Existing.ExecuteReaderAsync();
            await state.AddExistingAsync(reader);
        }
        return state;
    }

    public async Task<IReadOnlySet<string>> WriteAndCommitAsync(IReadOnlyList<Message> messages, DateTimeOffset now)
    {
        var s = statements!;
        var changes = BatchChanges.Of(messages);
        var marked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, seq) in changes.OwedToTickets)
        {
            s.MarkTicket.Parameters[0].Value = id;
            s.MarkTicket.Parameters[1].Value = seq;
            if (await s.MarkTicket.ExecuteScalarAsync() is not null) marked.Add(id);
        }
        foreach (var m in messages)
        {
            SetValues(s.Insert, m.ConversationId, m.Sequence, m.Author.ToText(), m.Visibility.ToText(), m.Body, m.AuthorName,
                BatchChanges.AttachmentsJson(m), m.ProviderMessageId, m.CreatedAt);
            await s.Insert.ExecuteNonQueryAsync();
        }
        foreach (var (id, seq, bot, human) in changes.Conversations)
        {
            SetValues(s.Advance, id, seq, now, bot ? now : null, human ? now : null);
            await s.Advance.ExecuteNonQueryAsync();
        }
        await transaction!.CommitAsync();
        await transaction.DisposeAsync();
        transaction = null;
        return marked;
    }

    public async Task AbortAsync()
    {
        // Start the next batch on a fresh connection: whatever failed may have left this one unusable.
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null)
        {
            try { await transaction.RollbackAsync(); } catch (DbException) { } catch (InvalidOperationException) { }
            await transaction.DisposeAsync();
            transaction = null;
        }
        if (statements is not null) await statements.DisposeAsync();
        statements = null;
    }

    static void SetValues(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>The writer's connection and its prepared statements, which live as long as it does.</summary>
    sealed class Statements(DbConnection connection) : IAsyncDisposable
    {
        public DbConnection Connection => connection;
        public DbCommand Conversation { get; } = Create(connection, $"SELECT id, last_seq, mode, {BatchChanges.SlaPausedColumn} FROM conversations WHERE id = @id", "id");
        public DbCommand Existing { get; } = Create(connection,
            $"SELECT {SqlConversationStore.MessageColumns} FROM messages WHERE conversation_id = @c AND provider_message_id = @p", "c", "p");
        public DbCommand MarkTicket { get; } = Create(connection,
            "UPDATE ticket_sync SET wanted_seq = @seq WHERE conversation_id = @id AND wanted_seq < @seq RETURNING conversation_id", "id", "seq");
        public DbCommand Insert { get; } = Create(connection,
            $"INSERT INTO messages ({SqlConversationStore.MessageColumns}) VALUES (@c, @s, @a, @v, @b, @n, @f, @p, @t)", "c", "s", "a", "v", "b", "n", "f", "p", "t");
        public DbCommand Advance { get; } = Create(connection, """
            UPDATE conversations SET last_seq = @seq, updated_at = @now,
                first_bot_reply_at = COALESCE(first_bot_reply_at, @bot), first_human_reply_at = COALESCE(first_human_reply_at, @human)
            WHERE id = @id
            """, "id", "seq", "now", "bot", "human");

        IEnumerable<DbCommand> All => [Conversation, Existing, MarkTicket, Insert, Advance];

        public static async Task<Statements> OpenAsync(SqlDialect dialect) => new(await dialect.OpenAsync(CancellationToken.None));

        public void Enlist(DbTransaction transaction)
        {
            foreach (var command in All) command.Transaction = transaction;
        }

        static DbCommand Create(DbConnection connection, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
            }
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in All) await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
