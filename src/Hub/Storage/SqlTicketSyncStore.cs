using Dapper;
using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// The helpdesk outbox (<c>ticket_sync</c>) on SQLite or PostgreSQL. Persisted state is the truth: a
/// row is due while it lacks a ticket or has customer messages beyond <c>synced_seq</c>; a worker
/// claims it by moving <c>next_attempt_at</c> forward (a lease), so two nodes never work on one row.
/// </summary>
internal sealed class SqlTicketSyncStore(SqlDialect dialect, TimeProvider time)
{
    const string Columns = "conversation_id, connector_id, workspace_id, route, queue, packet, external_id, synced_seq, wanted_seq, attempts, next_attempt_at, last_error, delay_notified, created_at, ticket_created_at";

    /// <summary>
    /// Adds a handoff's row inside the caller's transaction (<see cref="ConversationUpdate.Ticket"/>, booked with the
    /// queuing); a second handoff of the same conversation to the same connector keeps the first.
    /// </summary>
    /// <remarks>
    /// The caller holds the conversation row's lock, so a message batch in flight (<see cref="MessageWriter"/> holds that
    /// lock) has committed by then and is counted here; every later customer message marks this row in its own commit.
    /// None is left behind.
    /// </remarks>
    /// <param name="lastSeq">The conversation's newest message: customer messages up to it that the packet lacks are owed as comments.</param>
    internal static async Task<bool> InsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        string conversationId, string workspaceId, TicketBooking ticket, long lastSeq, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            $"""
            INSERT INTO ticket_sync ({Columns})
            VALUES (@conversationId, @ConnectorId, @workspaceId, @Route, @Queue, @Packet, NULL, @SyncedSeq, @wantedSeq, 0, @now, NULL, 0, @now, NULL)
            ON CONFLICT (conversation_id, connector_id) DO NOTHING
            """,
            new { conversationId, ticket.ConnectorId, workspaceId, ticket.Route, ticket.Queue, ticket.Packet, ticket.SyncedSeq, wantedSeq = Math.Max(ticket.SyncedSeq, lastSeq), now },
            transaction) > 0;

    /// <summary>Whether the conversation already has a ticket row for the connector (an earlier handoff booked it).</summary>
    public async Task<bool> ExistsAsync(string conversationId, string connectorId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ticket_sync WHERE conversation_id = @conversationId AND connector_id = @connectorId",
            new { conversationId, connectorId }) > 0;
    }

    /// <summary>Claims up to <paramref name="limit"/> due rows for <paramref name="lease"/>; rows another node claimed first are skipped.</summary>
    public async Task<IReadOnlyList<TicketSyncRow>> ClaimDueAsync(TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var due = await connection.QueryAsync<TicketSyncRow>(
            $"SELECT {Columns} FROM ticket_sync WHERE next_attempt_at <= @now AND (external_id IS NULL OR synced_seq < wanted_seq) ORDER BY next_attempt_at LIMIT @limit",
            new { now, limit });
        var claimed = new List<TicketSyncRow>();
        foreach (var row in due)
        {
            // Compare-and-set on the timestamp read: whoever moves it first owns the row until the lease ends.
            var until = now + lease;
            var won = await connection.ExecuteAsync(
                "UPDATE ticket_sync SET next_attempt_at = @until WHERE conversation_id = @ConversationId AND connector_id = @ConnectorId AND next_attempt_at = @NextAttemptAt",
                new { until, row.ConversationId, row.ConnectorId, row.NextAttemptAt });
            if (won == 1) claimed.Add(row);
        }
        return claimed;
    }

    public async Task SetTicketAsync(TicketSyncRow row, string externalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE ticket_sync SET external_id = @externalId, ticket_created_at = @now WHERE conversation_id = @ConversationId AND connector_id = @ConnectorId",
            new { externalId, now = time.GetUtcNow(), row.ConversationId, row.ConnectorId });
        row.ExternalId = externalId;
    }

    public async Task SetSyncedAsync(TicketSyncRow row, long sequence, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE ticket_sync SET synced_seq = @sequence WHERE conversation_id = @ConversationId AND connector_id = @ConnectorId AND synced_seq < @sequence",
            new { sequence, row.ConversationId, row.ConnectorId });
        row.SyncedSeq = sequence;
    }

    /// <summary>Done for now: due again at once if a message arrived meanwhile (wanted_seq moved).</summary>
    public async Task ReleaseAsync(TicketSyncRow row, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE ticket_sync SET next_attempt_at = @now, attempts = 0, last_error = NULL WHERE conversation_id = @ConversationId AND connector_id = @ConnectorId",
            new { now = time.GetUtcNow(), row.ConversationId, row.ConnectorId });
    }

    public async Task FailAsync(TicketSyncRow row, string error, TimeSpan retryIn, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE ticket_sync SET next_attempt_at = @next, attempts = attempts + 1, last_error = @error WHERE conversation_id = @ConversationId AND connector_id = @ConnectorId",
            new { next = time.GetUtcNow() + retryIn, error, row.ConversationId, row.ConnectorId });
    }

    /// <summary>
    /// Makes a ticket that is waiting out a failure due now (the reason may be gone, e.g. the customer left
    /// an email). Rows without a failure are untouched, so a row a worker is on keeps its lease.
    /// </summary>
    public async Task<bool> RetryNowAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE ticket_sync SET next_attempt_at = @now WHERE conversation_id = @conversationId AND external_id IS NULL AND last_error IS NOT NULL",
            new { conversationId, now = time.GetUtcNow() }) > 0;
    }

    /// <summary>True for the one caller that flips the flag: the customer hears about a delay once.</summary>
    public async Task<bool> MarkDelayNotifiedAsync(TicketSyncRow row, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE ticket_sync SET delay_notified = 1 WHERE conversation_id = @ConversationId AND connector_id = @ConnectorId AND delay_notified = 0",
            new { row.ConversationId, row.ConnectorId }) == 1;
    }

    /// <summary>Rows whose last attempt failed (still retried): what an admin looks at during an outage.</summary>
    public async Task<IReadOnlyList<TicketSyncRow>> FailingAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TicketSyncRow>($"SELECT {Columns} FROM ticket_sync WHERE last_error IS NOT NULL ORDER BY next_attempt_at LIMIT @limit",
            new { limit })).ToList();
    }

    /// <summary>An admin's "retry now": the conversation's failing rows become due at once.</summary>
    public async Task<int> RetryFailingNowAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE ticket_sync SET next_attempt_at = @now WHERE conversation_id = @conversationId AND last_error IS NOT NULL",
            new { conversationId, now = time.GetUtcNow() });
    }

    public async Task<IReadOnlyList<TicketSyncRow>> ForConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TicketSyncRow>($"SELECT {Columns} FROM ticket_sync WHERE conversation_id = @conversationId ORDER BY connector_id",
            new { conversationId })).ToList();
    }

    /// <summary>Handoff → first human reply, for the queue's most recent answered handoffs (newest first).</summary>
    public async Task<IReadOnlyList<TimeSpan>> RecentFirstReplyTimesAsync(string? queue, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReplyTimeRow>(
            """
            SELECT s.created_at AS handed_off_at, c.first_human_reply_at AS replied_at
            FROM ticket_sync s JOIN conversations c ON c.id = s.conversation_id
            WHERE COALESCE(s.queue, '') = @queue AND c.first_human_reply_at IS NOT NULL
            ORDER BY c.first_human_reply_at DESC LIMIT @limit
            """,
            new { queue = queue ?? "", limit });
        return rows.Select(r => r.RepliedAt - r.HandedOffAt).Where(d => d >= TimeSpan.Zero).ToList();
    }
}
