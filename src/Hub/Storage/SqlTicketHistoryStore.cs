using Dapper;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// Per-ticket history cursors (<c>ticket_history_cursors</c>) on SQLite or PostgreSQL. A node claims a
/// due ticket by moving <c>next_poll_at</c> forward (compare-and-set), and writes back only while it still
/// holds that lease, so two nodes never move one cursor; a cursor left behind by a crash or a lost lease
/// only means the same events are read again, which the webhook inbox de-duplicates.
/// </summary>
internal sealed class SqlTicketHistoryStore(SqlDialect dialect, TimeProvider time)
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> due tickets of the given connectors whose conversation is open, or
    /// closed at or after <paramref name="closedSince"/>, for <paramref name="lease"/>.
    /// </summary>
    public async Task<IReadOnlyList<TicketHistoryRow>> ClaimDueAsync(IReadOnlyCollection<string> connectorIds, DateTimeOffset closedSince, TimeSpan lease, int limit,
        CancellationToken cancellationToken = default)
    {
        if (connectorIds.Count == 0) return [];
        var now = time.GetUtcNow();
        var until = Truncate(now + lease);
        var ids = connectorIds.ToArray();
        var inIds = dialect is PostgresDialect ? "= ANY(@ids)" : "IN @ids";
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var due = await connection.QueryAsync<TicketHistoryRow>(
            $"""
            SELECT t.connector_id, t.external_id, t.conversation_id, c.mode, h.history_cursor, h.next_poll_at, h.failures, h.last_error, h.polled_at
            FROM conversation_tickets t
            JOIN conversations c ON c.id = t.conversation_id
            LEFT JOIN ticket_history_cursors h ON h.connector_id = t.connector_id AND h.external_id = t.external_id
            WHERE t.connector_id {inIds}
              AND (c.mode <> 'closed' OR c.closed_at >= @closedSince)
              AND (h.next_poll_at IS NULL OR h.next_poll_at <= @now)
            ORDER BY h.next_poll_at
            LIMIT @limit
            """,
            new { ids, closedSince, now, limit });
        var claimed = new List<TicketHistoryRow>();
        foreach (var row in due)
        {
            // First read: whoever inserts the cursor row owns it; afterwards whoever moves next_poll_at first.
            var won = row.NextPollAt is { } at
                ? await connection.ExecuteAsync(
                    "UPDATE ticket_history_cursors SET next_poll_at = @until WHERE connector_id = @ConnectorId AND external_id = @ExternalId AND next_poll_at = @at",
                    new { until, row.ConnectorId, row.ExternalId, at })
                : await connection.ExecuteAsync(
                    """
                    INSERT INTO ticket_history_cursors (connector_id, external_id, conversation_id, history_cursor, next_poll_at, failures)
                    VALUES (@ConnectorId, @ExternalId, @ConversationId, NULL, @until, 0)
                    ON CONFLICT (connector_id, external_id) DO NOTHING
                    """,
                    new { until, row.ConnectorId, row.ExternalId, row.ConversationId });
            if (won != 1) continue;
            row.LeaseUntil = until;
            claimed.Add(row);
        }
        return claimed;
    }

    /// <summary>Moves the cursor (events up to it are stored) and schedules the next read; false when the lease was lost meanwhile.</summary>
    public async Task<bool> AdvanceAsync(TicketHistoryRow row, string? cursor, DateTimeOffset nextPollAt, CancellationToken cancellationToken = default)
    {
        var next = Truncate(nextPollAt);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(
            """
            UPDATE ticket_history_cursors SET history_cursor = @cursor, next_poll_at = @next, failures = 0, last_error = NULL, polled_at = @now
            WHERE connector_id = @ConnectorId AND external_id = @ExternalId AND next_poll_at = @LeaseUntil
            """,
            new { cursor, next, now = time.GetUtcNow(), row.ConnectorId, row.ExternalId, row.LeaseUntil }) == 1;
        if (moved)
        {
            row.HistoryCursor = cursor;
            row.LeaseUntil = next;
        }
        return moved;
    }

    /// <summary>A failed read: the cursor stays where it was, the next read waits <paramref name="nextPollAt"/>.</summary>
    public async Task FailAsync(TicketHistoryRow row, string error, DateTimeOffset nextPollAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE ticket_history_cursors SET failures = failures + 1, last_error = @error, next_poll_at = @next
            WHERE connector_id = @ConnectorId AND external_id = @ExternalId AND next_poll_at = @LeaseUntil
            """,
            new { error, next = Truncate(nextPollAt), row.ConnectorId, row.ExternalId, row.LeaseUntil });
    }

    /// <summary>One ticket's cursor state, or null before its first read.</summary>
    public async Task<TicketHistoryRow?> GetAsync(string connectorId, string externalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<TicketHistoryRow>(
            """
            SELECT connector_id, external_id, conversation_id, history_cursor, next_poll_at, failures, last_error, polled_at
            FROM ticket_history_cursors WHERE connector_id = @connectorId AND external_id = @externalId
            """,
            new { connectorId, externalId });
    }

    /// <summary>Tickets whose last history read failed, most failures first (the admin helpdesk view).</summary>
    public async Task<IReadOnlyList<TicketHistoryRow>> FailingAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TicketHistoryRow>(
            """
            SELECT connector_id, external_id, conversation_id, history_cursor, next_poll_at, failures, last_error, polled_at
            FROM ticket_history_cursors WHERE last_error IS NOT NULL ORDER BY failures DESC, connector_id, external_id LIMIT @limit
            """,
            new { limit })).ToList();
    }

    /// <summary>An admin's "read it now": a failing ticket's back-off ends. How many tickets were moved.</summary>
    public async Task<int> RetryNowAsync(string connectorId, string externalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE ticket_history_cursors SET next_poll_at = @now WHERE connector_id = @connectorId AND external_id = @externalId AND last_error IS NOT NULL",
            new { now = Truncate(time.GetUtcNow()), connectorId, externalId });
    }

    /// <summary>Lease times are compared for equality after a round trip: whole milliseconds survive both backends exactly.</summary>
    static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
