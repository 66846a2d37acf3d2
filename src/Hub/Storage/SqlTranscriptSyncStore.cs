using Dapper;
using IntegrationHub.Hub.Jobs;

namespace IntegrationHub.Hub.Storage;

/// <summary>The <c>transcript_syncs</c> table: what must be synced where, and how far it got.</summary>
internal sealed class SqlTranscriptSyncStore(SqlDialect dialect, TimeProvider time)
{
    const string Columns = "conversation_id, connector_id, workspace_id, state, target_version, synced_version, attempts, next_attempt_at, last_error, ticket_id, created_at, updated_at";

    static SqlTranscriptSyncStore() => DateTimeOffsetHandler.Register();

    /// <summary>
    /// Asks for the conversation up to <paramref name="targetVersion"/> to reach the connector. Already synced that far:
    /// nothing changes (returns false). Otherwise the row is (re)armed as pending with a fresh retry budget.
    /// </summary>
    public async Task<bool> RequestAsync(string conversationId, string workspaceId, string connectorId, long targetVersion, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            INSERT INTO transcript_syncs (conversation_id, connector_id, workspace_id, state, target_version, synced_version, attempts, created_at, updated_at)
            VALUES (@conversationId, @connectorId, @workspaceId, 'pending', @targetVersion, 0, 0, @now, @now)
            ON CONFLICT (conversation_id, connector_id) DO UPDATE SET
                state = 'pending', target_version = excluded.target_version, attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = excluded.updated_at
            WHERE transcript_syncs.synced_version < excluded.target_version OR transcript_syncs.state <> 'synced'
            """,
            new { conversationId, connectorId, workspaceId, targetVersion, now });
        return changed > 0;
    }

    public async Task<TranscriptSync?> GetAsync(string conversationId, string connectorId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TranscriptSyncRow>(
            $"SELECT {Columns} FROM transcript_syncs WHERE conversation_id = @conversationId AND connector_id = @connectorId", new { conversationId, connectorId });
        return row?.ToSync();
    }

    /// <summary>Rows in a state (all when null), most recently changed first.</summary>
    public async Task<IReadOnlyList<TranscriptSync>> ListAsync(string? state, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var sql = $"SELECT {Columns} FROM transcript_syncs {(state is null ? "" : "WHERE state = @state")} ORDER BY updated_at DESC, conversation_id LIMIT @limit";
        return (await connection.QueryAsync<TranscriptSyncRow>(sql, new { state, limit })).Select(r => r.ToSync()).ToList();
    }

    /// <summary>Records the ticket as soon as it exists, so no later attempt looks for another one.</summary>
    public async Task SetTicketAsync(string conversationId, string connectorId, string ticketId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE transcript_syncs SET ticket_id = @ticketId, updated_at = @now WHERE conversation_id = @conversationId AND connector_id = @connectorId",
            new { conversationId, connectorId, ticketId, now = time.GetUtcNow() });
    }

    public async Task MarkSyncedAsync(string conversationId, string connectorId, long version, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // A newer request (higher target) that arrived meanwhile stays pending.
        await connection.ExecuteAsync(
            """
            UPDATE transcript_syncs SET synced_version = @version, attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL, updated_at = @now,
                state = CASE WHEN target_version <= @version THEN 'synced' ELSE 'pending' END
            WHERE conversation_id = @conversationId AND connector_id = @connectorId
            """,
            new { conversationId, connectorId, version, now = time.GetUtcNow() });
    }

    /// <summary>Counts a failed attempt: <c>failed</c> with the time of the next one, or <c>dead</c> when <paramref name="nextAttemptAt"/> is null.</summary>
    public async Task MarkFailedAsync(string conversationId, string connectorId, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE transcript_syncs SET attempts = attempts + 1, last_error = @error, next_attempt_at = @nextAttemptAt, updated_at = @now,
                state = @state
            WHERE conversation_id = @conversationId AND connector_id = @connectorId
            """,
            new { conversationId, connectorId, error, nextAttemptAt, state = nextAttemptAt is null ? TranscriptSyncStates.Dead : TranscriptSyncStates.Failed, now = time.GetUtcNow() });
    }

    /// <summary>Not an attempt: the sync waits (for the handoff ticket) until <paramref name="until"/>, pending, with the reason shown.</summary>
    public async Task MarkWaitingAsync(string conversationId, string connectorId, string reason, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE transcript_syncs SET state = 'pending', last_error = @reason, next_attempt_at = @until, updated_at = @now
            WHERE conversation_id = @conversationId AND connector_id = @connectorId AND state IN ('pending', 'failed')
            """,
            new { conversationId, connectorId, reason, until, now = time.GetUtcNow() });
    }

    /// <summary>
    /// Conversations closed since <paramref name="since"/> whose sync to the connector is missing, or was asked for fewer
    /// messages than the conversation had when it (last) closed: the close committed, and the node died before it booked the sync.
    /// </summary>
    public async Task<IReadOnlyList<(string ConversationId, string WorkspaceId, long Version)>> MissingAsync(
        string connectorId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // Messages after the close (the satisfaction survey) are not part of the closed transcript.
        var rows = await connection.QueryAsync<(string, string, long)>(
            """
            SELECT id, workspace_id, version FROM (
                SELECT c.id, c.workspace_id, c.closed_at, s.target_version,
                    COALESCE((SELECT MAX(m.seq) FROM messages m WHERE m.conversation_id = c.id AND m.created_at <= c.closed_at), 0) AS version
                FROM conversations c
                LEFT JOIN transcript_syncs s ON s.conversation_id = c.id AND s.connector_id = @connectorId
                WHERE c.mode = 'closed' AND c.closed_at >= @since) closed
            WHERE target_version IS NULL OR target_version < version
            ORDER BY closed_at LIMIT @limit
            """,
            new { connectorId, since, limit });
        return rows.ToList();
    }

    /// <summary>An admin stops a sync that is not done: no further attempts until a retry. False when it is already synced, dead or cancelled.</summary>
    public async Task<bool> CancelAsync(string conversationId, string connectorId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE transcript_syncs SET state = 'cancelled', next_attempt_at = NULL, last_error = 'cancelled by an admin', updated_at = @now
            WHERE conversation_id = @conversationId AND connector_id = @connectorId AND state IN ('pending', 'failed')
            """,
            new { conversationId, connectorId, now = time.GetUtcNow() }) > 0;
    }

    /// <summary>Rows per state.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM transcript_syncs GROUP BY state"))
            .ToDictionary(r => r.State, r => r.Count);
    }

    /// <summary>An admin's retry of a dead (or failed) sync: pending again with a fresh budget. False when there is nothing to retry.</summary>
    public async Task<bool> RearmAsync(string conversationId, string connectorId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE transcript_syncs SET state = 'pending', attempts = 0, next_attempt_at = NULL, updated_at = @now
            WHERE conversation_id = @conversationId AND connector_id = @connectorId AND state IN ('dead', 'failed', 'cancelled')
            """,
            new { conversationId, connectorId, now = time.GetUtcNow() }) > 0;
    }
}
