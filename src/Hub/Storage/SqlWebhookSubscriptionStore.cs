using Dapper;

namespace IntegrationHub.Hub.Storage;

/// <summary>Outbound webhook subscriptions and their delivery log/queue on SQLite or PostgreSQL.</summary>
internal sealed class SqlWebhookSubscriptionStore(SqlDialect dialect, TimeProvider time)
{
    const string SubscriptionColumns = "id, workspace_id, url, secret, events, enabled, disabled_reason, consecutive_failures, created_at";
    const string DeliveryColumns = "id, subscription_id, event, payload, attempts, next_attempt_at, delivered_at, gave_up_at, last_status, last_response, last_error, created_at";

    public async Task<WebhookSubscriptionRow> CreateAsync(string workspaceId, string url, string secret, string eventsJson, CancellationToken cancellationToken = default)
    {
        var row = new WebhookSubscriptionRow
        {
            Id = SqlConversationStore.NewId("whs"), WorkspaceId = workspaceId, Url = url, Secret = secret, Events = eventsJson, Enabled = 1, CreatedAt = time.GetUtcNow(),
        };
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"INSERT INTO webhook_subscriptions ({SubscriptionColumns}) VALUES (@Id, @WorkspaceId, @Url, @Secret, @Events, 1, NULL, 0, @CreatedAt)", row);
        return row;
    }

    public async Task<IReadOnlyList<WebhookSubscriptionRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookSubscriptionRow>($"SELECT {SubscriptionColumns} FROM webhook_subscriptions ORDER BY created_at, id")).ToList();
    }

    public async Task<WebhookSubscriptionRow?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WebhookSubscriptionRow>($"SELECT {SubscriptionColumns} FROM webhook_subscriptions WHERE id = @id", new { id });
    }

    /// <summary>Deletes a subscription with its delivery log.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM webhook_deliveries WHERE subscription_id = @id", new { id }, transaction);
        var deleted = await connection.ExecuteAsync("DELETE FROM webhook_subscriptions WHERE id = @id", new { id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>Re-enables a subscription an admin has fixed; its waiting deliveries are due at once.</summary>
    public async Task<bool> EnableAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        var changed = await connection.ExecuteAsync(
            "UPDATE webhook_subscriptions SET enabled = 1, disabled_reason = NULL, consecutive_failures = 0 WHERE id = @id", new { id });
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET next_attempt_at = @now WHERE subscription_id = @id AND delivered_at IS NULL AND gave_up_at IS NULL", new { id, now });
        return changed > 0;
    }

    public async Task EnqueueAsync(IEnumerable<(string SubscriptionId, string Event, string Payload)> deliveries, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO webhook_deliveries (subscription_id, event, payload, attempts, next_attempt_at, created_at) VALUES (@SubscriptionId, @Event, @Payload, 0, @now, @now)",
            deliveries.Select(d => new { d.SubscriptionId, d.Event, d.Payload, now }));
    }

    /// <summary>Claims due deliveries of enabled subscriptions (compare-and-set lease on next_attempt_at), oldest first.</summary>
    public async Task<IReadOnlyList<(WebhookDeliveryRow Delivery, WebhookSubscriptionRow Subscription)>> ClaimDueAsync(TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var due = (await connection.QueryAsync<WebhookDeliveryRow>(
            $"""
            SELECT {DeliveryColumns} FROM webhook_deliveries d
            WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND d.next_attempt_at <= @now
              AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.enabled = 1)
            ORDER BY d.id LIMIT @limit
            """, new { now, limit })).ToList();
        var claimed = new List<(WebhookDeliveryRow, WebhookSubscriptionRow)>();
        foreach (var delivery in due)
        {
            var until = now + lease;
            if (await connection.ExecuteAsync("UPDATE webhook_deliveries SET next_attempt_at = @until WHERE id = @Id AND next_attempt_at = @NextAttemptAt",
                    new { until, delivery.Id, delivery.NextAttemptAt }) != 1) continue;
            var subscription = await connection.QuerySingleAsync<WebhookSubscriptionRow>(
                $"SELECT {SubscriptionColumns} FROM webhook_subscriptions WHERE id = @SubscriptionId", new { delivery.SubscriptionId });
            claimed.Add((delivery, subscription));
        }
        return claimed;
    }

    public async Task DeliveredAsync(WebhookDeliveryRow delivery, int status, string response, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET delivered_at = @now, attempts = attempts + 1, last_status = @status, last_response = @response, last_error = NULL WHERE id = @Id",
            new { now, status = (long)status, response, delivery.Id }, transaction);
        await connection.ExecuteAsync("UPDATE webhook_subscriptions SET consecutive_failures = 0 WHERE id = @SubscriptionId", new { delivery.SubscriptionId }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records a failed attempt; after <paramref name="disableAfter"/> consecutive failures the subscription is disabled with the reason.</summary>
    public async Task FailedAsync(WebhookDeliveryRow delivery, int? status, string? response, string error, TimeSpan retryIn, int disableAfter, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = @next, last_status = @status, last_response = @response, last_error = @error WHERE id = @Id",
            new { next = now + retryIn, status = (long?)status, response, error, delivery.Id }, transaction);
        await connection.ExecuteAsync(
            """
            UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
                enabled = CASE WHEN consecutive_failures + 1 >= @disableAfter THEN 0 ELSE enabled END,
                disabled_reason = CASE WHEN consecutive_failures + 1 >= @disableAfter THEN @reason ELSE disabled_reason END
            WHERE id = @SubscriptionId
            """,
            new { disableAfter = (long)disableAfter, reason = $"disabled after {disableAfter} consecutive failed deliveries; last: {error}", delivery.SubscriptionId }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDeliveryRow>> DeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookDeliveryRow>(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE subscription_id = @subscriptionId ORDER BY id DESC LIMIT @limit", new { subscriptionId, limit })).ToList();
    }
}
