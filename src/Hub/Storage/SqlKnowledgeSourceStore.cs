using Dapper;
using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Hub.Storage;

/// <summary>Knowledge sources per workspace (<c>knowledge_sources</c>) on SQLite or PostgreSQL.</summary>
internal sealed class SqlKnowledgeSourceStore(SqlDialect dialect, TimeProvider time) : IKnowledgeSourceStore
{
    static SqlKnowledgeSourceStore() => DateTimeOffsetHandler.Register();

    public async Task<IReadOnlyList<KnowledgeSource>> ListAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KnowledgeSourceRow>(
            "SELECT workspace_id, id, kind, location, base_url, title, enabled FROM knowledge_sources WHERE workspace_id = @workspaceId ORDER BY id",
            new { workspaceId });
        return rows.Select(r => r.ToSource()).ToList();
    }

    public async Task UpsertAsync(KnowledgeSource source, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO knowledge_sources (workspace_id, id, kind, location, base_url, title, enabled, updated_at)
            VALUES (@WorkspaceId, @Id, @Kind, @Location, @BaseUrl, @Title, @enabled, @now)
            ON CONFLICT (workspace_id, id) DO UPDATE SET kind = excluded.kind, location = excluded.location, base_url = excluded.base_url,
                title = excluded.title, enabled = excluded.enabled, updated_at = excluded.updated_at
            """,
            new { source.WorkspaceId, source.Id, source.Kind, source.Location, source.BaseUrl, source.Title, enabled = source.Enabled ? 1L : 0L, now = time.GetUtcNow() });
    }

    public async Task DeleteAsync(string workspaceId, string sourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM knowledge_sources WHERE workspace_id = @workspaceId AND id = @sourceId", new { workspaceId, sourceId });
    }
}
