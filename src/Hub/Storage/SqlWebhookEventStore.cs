using Dapper;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Webhooks.Inbound;

namespace IntegrationHub.Hub.Storage;

/// <summary>Inbound webhook events on SQLite or PostgreSQL: persisted before the 2xx, de-duplicated by primary key.</summary>
internal sealed class SqlWebhookEventStore(SqlDialect dialect, TimeProvider time) : IWebhookEventStore
{
    /// <summary>After this many failed attempts an event stays unprocessed with its error: a dead letter for an admin.</summary>
    public const int MaxAttempts = 10;

    const string Columns = "connector_id, vendor_event_id, ordinal, conversation_id, kind, ticket_external_id, body, author_name, status, occurred_at, attempts";

    public async Task<string?> FindConversationAsync(string connectorId, string ticketExternalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<string>(
            "SELECT conversation_id FROM conversation_tickets WHERE connector_id = @connectorId AND external_id = @ticketExternalId ORDER BY created_at LIMIT 1",
            new { connectorId, ticketExternalId });
    }

    public async Task<int> SaveAsync(string connectorId, IReadOnlyList<ResolvedWebhookEvent> events, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = 0;
        foreach (var (e, ordinal, conversationId) in events)
        {
            inserted += await connection.ExecuteAsync(
                $"""
                INSERT INTO webhook_events ({Columns}, workspace_id, received_at)
                SELECT @connectorId, @VendorEventId, @ordinal, @conversationId, @kind, @TicketExternalId, @Body, @AuthorName, @Status, @OccurredAt, 0, workspace_id, @now
                FROM conversations WHERE id = @conversationId
                ON CONFLICT (connector_id, vendor_event_id, ordinal) DO NOTHING
                """,
                new { connectorId, e.VendorEventId, ordinal = (long)ordinal, conversationId, kind = Kind(e.Kind), e.TicketExternalId, e.Body, e.AuthorName, e.Status, e.OccurredAt, now },
                transaction);
        }
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>Unapplied events in arrival order (oldest first), skipping dead letters.</summary>
    public async Task<IReadOnlyList<WebhookEventRow>> PendingAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookEventRow>(
            $"SELECT {Columns} FROM webhook_events WHERE processed_at IS NULL AND attempts < @max ORDER BY received_at, connector_id, vendor_event_id, ordinal LIMIT @limit",
            new { max = MaxAttempts, limit })).ToList();
    }

    public async Task MarkProcessedAsync(WebhookEventRow row, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE webhook_events SET processed_at = @now, last_error = NULL WHERE connector_id = @ConnectorId AND vendor_event_id = @VendorEventId AND ordinal = @Ordinal",
            new { now = time.GetUtcNow(), row.ConnectorId, row.VendorEventId, row.Ordinal });
    }

    public async Task FailAsync(WebhookEventRow row, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE webhook_events SET attempts = attempts + 1, last_error = @error WHERE connector_id = @ConnectorId AND vendor_event_id = @VendorEventId AND ordinal = @Ordinal",
            new { error, row.ConnectorId, row.VendorEventId, row.Ordinal });
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
}
