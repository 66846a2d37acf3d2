using Dapper;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Webhooks.Inbound;

namespace IntegrationHub.Hub.Storage;

/// <summary>Inbound webhook events on SQLite or PostgreSQL: persisted before the 2xx, de-duplicated by primary key.</summary>
internal sealed class SqlWebhookEventStore : IWebhookEventStore, IDisposable
{
    /// <summary>After this many failed attempts an event stays unprocessed with its error: a dead letter for an admin.</summary>
    public const int MaxAttempts = 10;

    readonly SqlDialect dialect;
    readonly TimeProvider time;
    readonly GroupCommitQueue<(string ConnectorId, IReadOnlyList<ResolvedWebhookEvent> Events), int> saves;
    readonly GroupCommitQueue<IReadOnlyCollection<WebhookEventRow>, bool> marks;

    public SqlWebhookEventStore(SqlDialect dialect, TimeProvider time)
    {
        this.dialect = dialect;
        this.time = time;
        saves = new(WriteAsync);
        marks = new(MarkAsync);
    }

    const string Columns = "connector_id, vendor_event_id, ordinal, conversation_id, kind, ticket_external_id, body, author_name, status, occurred_at, attempts";

    public async Task<string?> FindConversationAsync(string connectorId, string ticketExternalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<string>(
            "SELECT conversation_id FROM conversation_tickets WHERE connector_id = @connectorId AND external_id = @ticketExternalId ORDER BY created_at LIMIT 1",
            new { connectorId, ticketExternalId });
    }

    /// <summary>
    /// Group-committed: concurrent deliveries share a commit (one fsync), which is what bounds acknowledgements per
    /// second. If the commit fails nothing of it is stored: every delivery in it is refused (5xx) and the vendor redelivers.
    /// </summary>
    public Task<int> SaveAsync(string connectorId, IReadOnlyList<ResolvedWebhookEvent> events, CancellationToken cancellationToken = default) =>
        saves.EnqueueAsync((connectorId, events), cancellationToken);

    async Task<int[]> WriteAsync(IReadOnlyList<(string ConnectorId, IReadOnlyList<ResolvedWebhookEvent> Events)> batch)
    {
        var now = time.GetUtcNow();
        var counts = new int[batch.Count];
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            var connectorId = batch[i].ConnectorId;
            foreach (var (e, ordinal, conversationId) in batch[i].Events)
            {
                counts[i] += await connection.ExecuteAsync(
                    $"""
                    INSERT INTO webhook_events ({Columns}, workspace_id, received_at)
                    SELECT @connectorId, @VendorEventId, @ordinal, @conversationId, @kind, @TicketExternalId, @Body, @AuthorName, @Status, @OccurredAt, 0, workspace_id, @now
                    FROM conversations WHERE id = @conversationId
                    ON CONFLICT (connector_id, vendor_event_id, ordinal) DO NOTHING
                    """,
                    new { connectorId, e.VendorEventId, ordinal = (long)ordinal, conversationId, kind = Kind(e.Kind), e.TicketExternalId, e.Body, e.AuthorName, e.Status, e.OccurredAt, now },
                    transaction);
            }
        }
        await transaction.CommitAsync();
        return counts;
    }

    /// <summary>Unapplied events in arrival order (oldest first), skipping dead letters.</summary>
    public async Task<IReadOnlyList<WebhookEventRow>> PendingAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookEventRow>(
            $"SELECT {Columns} FROM webhook_events WHERE processed_at IS NULL AND attempts < @max ORDER BY received_at, connector_id, vendor_event_id, ordinal LIMIT @limit",
            new { max = MaxAttempts, limit })).ToList();
    }

    /// <summary>Marks applied events; group-committed, so the dispatcher's conversations finishing together share a commit.</summary>
    public async Task MarkProcessedAsync(IReadOnlyCollection<WebhookEventRow> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count > 0) await marks.EnqueueAsync(rows, cancellationToken);
    }

    async Task<bool[]> MarkAsync(IReadOnlyList<IReadOnlyCollection<WebhookEventRow>> batch)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE webhook_events SET processed_at = @now, last_error = NULL WHERE connector_id = @ConnectorId AND vendor_event_id = @VendorEventId AND ordinal = @Ordinal",
            batch.SelectMany(rows => rows).Select(r => new { now, r.ConnectorId, r.VendorEventId, r.Ordinal }), transaction);
        await transaction.CommitAsync();
        return batch.Select(_ => true).ToArray();
    }

    public async Task FailAsync(WebhookEventRow row, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE webhook_events SET attempts = attempts + 1, last_error = @error WHERE connector_id = @ConnectorId AND vendor_event_id = @VendorEventId AND ordinal = @Ordinal",
            new { error, row.ConnectorId, row.VendorEventId, row.Ordinal });
    }

    /// <summary>Unapplied events with an error (dead letters once attempts reach <see cref="MaxAttempts"/>).</summary>
    public async Task<IReadOnlyList<WebhookEventRow>> FailedAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookEventRow>(
            $"SELECT {Columns}, last_error FROM webhook_events WHERE processed_at IS NULL AND last_error IS NOT NULL ORDER BY received_at LIMIT @limit",
            new { limit })).ToList();
    }

    /// <summary>An admin's retry of a dead letter: its attempts start again from zero.</summary>
    public async Task<int> RetryAsync(string connectorId, string vendorEventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE webhook_events SET attempts = 0 WHERE connector_id = @connectorId AND vendor_event_id = @vendorEventId AND processed_at IS NULL",
            new { connectorId, vendorEventId });
    }

    public async Task<long> CountAsync(string connectorId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_events WHERE connector_id = @connectorId", new { connectorId });
    }

    public static string Kind(WebhookEventKind kind) => kind switch
    {
        WebhookEventKind.AgentPublicReply => "agent_public_reply",
        WebhookEventKind.InternalNote => "internal_note",
        _ => "status_changed",
    };

    public void Dispose()
    {
        saves.Dispose();
        marks.Dispose();
    }
}
