using System.Data.Common;
using System.Text.Json;
using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// PostgreSQL: round trips, not rows, are what cost. A batch takes one round trip when the writer already knows its
/// conversations (the database checks that under the locks before writing), else two (BEGIN rides on the first,
/// COMMIT on the second), whatever its size. Array parameters keep every statement's text the same for every batch
/// size, so Npgsql prepares each once per connection and the server stops parsing and planning them per batch.
/// </summary>
internal sealed class PostgresMessageBatchStore(PostgresDialect dialect) : IAssumingBatchStore
{
    // Conversations are locked in id order, so two nodes' batches cannot deadlock.
    readonly string lockSql =
        $"BEGIN;\nSELECT id, last_seq, mode, {BatchChanges.SlaPausedColumn} FROM conversations WHERE id = ANY(@ids) ORDER BY id{dialect.ForUpdate};";

    // LATERAL ... LIMIT 1: one unique-index probe per key, whatever the planner thinks of the table's size (a plain
    // join, planned while the table is small, hashes a scan of every message and keeps that plan).
    const string ExistingSql = $"""
        SELECT m.* FROM unnest(@kc::text[], @kp::text[]) AS k (c, p)
        CROSS JOIN LATERAL (SELECT {SqlConversationStore.MessageColumns} FROM messages
          WHERE conversation_id = k.c AND provider_message_id = k.p LIMIT 1) m;
        """;

    readonly string writeSql = WriteSql("TRUE") + "\nCOMMIT;";

    // The one round trip of TryWriteAndCommitAsync: lock, check the assumption into a transaction-local setting, write
    // only if it held, commit either way (nothing written is nothing lost: the caller falls back to the two round trips).
    readonly string assumingSql = $"""
        BEGIN;
        SELECT id FROM conversations WHERE id = ANY(@ids) ORDER BY id{dialect.ForUpdate};
        SELECT set_config('hub.batch_as_assumed', (
            (SELECT count(*) FROM conversations
             JOIN unnest(@ids::text[], @eseq::bigint[], @emode::text[], @epaused::boolean[]) AS e (id, seq, mode, paused) ON conversations.id = e.id
             WHERE conversations.last_seq = e.seq AND conversations.mode = e.mode AND {BatchChanges.SlaPausedColumn} = e.paused) = cardinality(@ids::text[])
            AND NOT EXISTS (SELECT 1 FROM unnest(@kc::text[], @kp::text[]) AS k (c, p)
              CROSS JOIN LATERAL (SELECT 1 FROM messages WHERE conversation_id = k.c AND provider_message_id = k.p LIMIT 1) m)
        )::text, true);
        {WriteSql("current_setting('hub.batch_as_assumed')::boolean")}
        COMMIT;
        """;

    /// <summary>
    /// Ticket marks first, so that their rows are the reader's first result set of the writes. NOTIFY tells other
    /// nodes' live streams of the commit with it (it is delivered on commit only).
    /// </summary>
    static string WriteSql(string when) => $"""
        WITH w (id, seq) AS (SELECT * FROM unnest(@wc::text[], @ws::bigint[]))
        UPDATE ticket_sync SET wanted_seq = w.seq FROM w
        WHERE ticket_sync.conversation_id = w.id AND ticket_sync.wanted_seq < w.seq AND {when}
        RETURNING ticket_sync.conversation_id;
        INSERT INTO messages ({SqlConversationStore.MessageColumns})
        SELECT * FROM unnest(@c::text[], @s::bigint[], @a::text[], @v::text[], @b::text[], @n::text[], @f::text[], @p::text[], @t::timestamptz[]) WHERE {when};
        WITH v (id, seq, bot, human) AS (SELECT * FROM unnest(@u::text[], @q::bigint[], @r::boolean[], @h::boolean[]))
        UPDATE conversations SET last_seq = v.seq, updated_at = @now,
            first_bot_reply_at = COALESCE(conversations.first_bot_reply_at, CASE WHEN v.bot THEN @now END),
            first_human_reply_at = COALESCE(conversations.first_human_reply_at, CASE WHEN v.human THEN @now END)
        FROM v WHERE conversations.id = v.id AND {when};
        SELECT pg_notify('{Realtime.PostgresFeedRelay.MessagesChannel}', note) FROM unnest(@notes::text[]) AS note WHERE {when};
        """;

    DbConnection? connection;

    public async Task<LockedConversations> LockAndReadAsync(IReadOnlyList<string> conversationIds, IReadOnlyList<(string ConversationId, string ProviderMessageId)> keys)
    {
        // The writer keeps its connection: no pool reset per batch, and the prepared statements stay.
        connection ??= await dialect.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = lockSql;
        Add(command, "ids", conversationIds.ToArray());
        if (keys.Count > 0)
        {
            command.CommandText += "\n" + ExistingSql;
            Add(command, "kc", keys.Select(k => k.ConversationId).ToArray());
            Add(command, "kp", keys.Select(k => k.ProviderMessageId).ToArray());
        }
        var state = LockedConversations.Empty();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) state.AddConversation(reader);
        if (keys.Count > 0 && await reader.NextResultAsync()) await state.AddExistingAsync(reader);
        return state;
    }

    public async Task<IReadOnlySet<string>> WriteAndCommitAsync(IReadOnlyList<Message> messages, DateTimeOffset now)
    {
        await using var command = connection!.CreateCommand();
        if (messages.Count == 0)
        {
            command.CommandText = "COMMIT";
            await command.ExecuteNonQueryAsync();
            return new HashSet<string>();
        }
        command.CommandText = writeSql;
        AddWrites(command, messages, now);
        await using var reader = await command.ExecuteReaderAsync();
        return await ReadWritesAsync(reader);
    }

    public async Task<IReadOnlySet<string>?> TryWriteAndCommitAsync(LockedConversations assumed, IReadOnlyList<(string ConversationId, string ProviderMessageId)> keys,
        IReadOnlyList<Message> messages, DateTimeOffset now)
    {
        connection ??= await dialect.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = assumingSql;
        var conversations = assumed.Conversations.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        Add(command, "ids", conversations.Select(c => c.Key).ToArray());
        Add(command, "eseq", conversations.Select(c => c.Value.LastSeq).ToArray());
        Add(command, "emode", conversations.Select(c => c.Value.Mode.ToText()).ToArray());
        Add(command, "epaused", conversations.Select(c => c.Value.SlaPaused).ToArray());
        Add(command, "kc", keys.Select(k => k.ConversationId).ToArray());
        Add(command, "kp", keys.Select(k => k.ProviderMessageId).ToArray());
        AddWrites(command, messages, now);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { } // the locked ids
        await reader.NextResultAsync();
        var held = await reader.ReadAsync() && reader.GetString(0) == "true";
        await reader.NextResultAsync();
        var marked = await ReadWritesAsync(reader);
        return held ? marked : null;
    }

    static void AddWrites(DbCommand command, IReadOnlyList<Message> messages, DateTimeOffset now)
    {
        var changes = BatchChanges.Of(messages);
        Add(command, "wc", changes.OwedToTickets.Select(o => o.Id).ToArray());
        Add(command, "ws", changes.OwedToTickets.Select(o => o.Seq).ToArray());
        Add(command, "c", messages.Select(m => m.ConversationId).ToArray());
        Add(command, "s", messages.Select(m => m.Sequence).ToArray());
        Add(command, "a", messages.Select(m => m.Author.ToText()).ToArray());
        Add(command, "v", messages.Select(m => m.Visibility.ToText()).ToArray());
        Add(command, "b", messages.Select(m => m.Body).ToArray());
        Add(command, "n", messages.Select(m => m.AuthorName).ToArray());
        Add(command, "f", messages.Select(BatchChanges.AttachmentsJson).ToArray());
        Add(command, "p", messages.Select(m => m.ProviderMessageId).ToArray());
        Add(command, "t", messages.Select(m => m.CreatedAt).ToArray());
        Add(command, "u", changes.Conversations.Select(c => c.Id).ToArray());
        Add(command, "q", changes.Conversations.Select(c => c.Seq).ToArray());
        Add(command, "r", changes.Conversations.Select(c => c.Bot).ToArray());
        Add(command, "h", changes.Conversations.Select(c => c.Human).ToArray());
        Add(command, "now", now);
        // [["conversation id", upToSequence], ...], 100 conversations per notification to stay under its 8,000 bytes.
        Add(command, "notes", changes.Conversations.Chunk(100).Select(chunk => JsonSerializer.Serialize(chunk.Select(c => new object[] { c.Id, c.Seq }))).ToArray());
    }

    /// <summary>Reads the ticket marks, then passes the remaining statements, up to COMMIT, which run as the reader passes them.</summary>
    static async Task<IReadOnlySet<string>> ReadWritesAsync(DbDataReader reader)
    {
        var marked = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) marked.Add(reader.GetString(0));
        while (await reader.NextResultAsync()) { }
        return marked;
    }

    public async Task AbortAsync()
    {
        if (connection is null) return;
        // A failed statement leaves the transaction open and aborted: end it before the pool reuses the connection.
        try
        {
            await using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException) { }
        // Whatever failed may have broken the connection: the next batch opens another.
        await CloseAsync();
    }

    async Task CloseAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        connection = null;
    }

    static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
