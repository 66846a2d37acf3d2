using System.Data.Common;
using Dapper;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// Per-workspace revision counters of the bot's tables (<c>bot_revisions</c>). A write advances its
/// kind's counter inside its own transaction, so a reader that sees the new revision sees the new rows.
/// </summary>
internal static class BotRevisions
{
    public const string Intents = "intents";
    public const string Knowledge = "knowledge";

    /// <summary>Adds one; the upsert's row lock also serialises concurrent writers of the workspace on PostgreSQL.</summary>
    public static Task AdvanceAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string kind) =>
        connection.ExecuteAsync(
            """
            INSERT INTO bot_revisions (workspace_id, kind, revision) VALUES (@workspaceId, @kind, 1)
            ON CONFLICT (workspace_id, kind) DO UPDATE SET revision = bot_revisions.revision + 1
            """,
            new { workspaceId, kind }, transaction);

    /// <summary>0 until the first write.</summary>
    public static async Task<long> ReadAsync(SqlDialect dialect, string workspaceId, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT revision FROM bot_revisions WHERE workspace_id = @workspaceId AND kind = @kind", new { workspaceId, kind }) ?? 0;
    }
}
