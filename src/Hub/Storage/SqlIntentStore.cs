using Dapper;
using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Hub.Storage;

/// <summary>The bot's intent definitions on SQLite or PostgreSQL (<c>bot_intents</c>), one set per workspace.</summary>
internal sealed class SqlIntentStore(SqlDialect dialect, TimeProvider time) : IIntentStore
{
    static SqlIntentStore() => DateTimeOffsetHandler.Register();

    public async Task<IReadOnlyList<IntentDefinition>> ListAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IntentRow>(
            "SELECT name, display_name, routing, examples, fields, answer FROM bot_intents WHERE workspace_id = @workspaceId ORDER BY name",
            new { workspaceId });
        return rows.Select(r => r.ToDefinition()).ToList();
    }

    public async Task UpsertAsync(string workspaceId, IntentDefinition intent, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO bot_intents (workspace_id, name, display_name, routing, examples, fields, answer, updated_at)
            VALUES (@workspaceId, @Name, @DisplayName, @routing, @examples, @fields, @Answer, @now)
            ON CONFLICT (workspace_id, name) DO UPDATE SET display_name = excluded.display_name, routing = excluded.routing,
                examples = excluded.examples, fields = excluded.fields, answer = excluded.answer, updated_at = excluded.updated_at
            """,
            new
            {
                workspaceId, intent.Name, intent.DisplayName, routing = IntentRow.RoutingText(intent.Routing),
                examples = IntentRow.Write(intent.Examples), fields = IntentRow.Write(intent.FieldsOrEmpty), intent.Answer, now = time.GetUtcNow(),
            },
            transaction);
        await BotRevisions.AdvanceAsync(connection, transaction, workspaceId, BotRevisions.Intents);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(string workspaceId, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(
            "DELETE FROM bot_intents WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name }, transaction);
        // Nothing deleted, nothing to retrain.
        if (deleted > 0) await BotRevisions.AdvanceAsync(connection, transaction, workspaceId, BotRevisions.Intents);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        BotRevisions.ReadAsync(dialect, workspaceId, BotRevisions.Intents, cancellationToken);
}
