using Dapper;
using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// Knowledge chunks per workspace (<c>knowledge_chunks</c>) on SQLite or PostgreSQL. The index itself is
/// built in-process by the bot from <see cref="ListAsync"/>, whenever <see cref="GetRevisionAsync"/> moves.
/// </summary>
internal sealed class SqlKnowledgeChunkStore(SqlDialect dialect) : IKnowledgeChunkStore
{
    const string Columns = "workspace_id, source_id, document_id, ordinal, title, heading, text, url, content_hash, embedding";

    public async Task<IReadOnlyDictionary<string, string>> GetDocumentHashesAsync(string workspaceId, string sourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // Every chunk of a document carries the same hash; MIN picks it without a second query.
        var rows = await connection.QueryAsync<(string DocumentId, string ContentHash)>(
            "SELECT document_id, MIN(content_hash) FROM knowledge_chunks WHERE workspace_id = @workspaceId AND source_id = @sourceId GROUP BY document_id",
            new { workspaceId, sourceId });
        return rows.ToDictionary(r => r.DocumentId, r => r.ContentHash, StringComparer.Ordinal);
    }

    public async Task ReplaceDocumentAsync(string workspaceId, string sourceId, string documentId, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken = default)
    {
        if (chunks.FirstOrDefault(c => c.WorkspaceId != workspaceId || c.SourceId != sourceId || c.DocumentId != documentId) is { } stray)
            throw new ArgumentException($"chunk {stray.Id} of workspace {stray.WorkspaceId} does not belong to document {sourceId}/{documentId} of workspace {workspaceId}", nameof(chunks));
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // One transaction: another node reads the old chunks or the new ones, never half a document.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "DELETE FROM knowledge_chunks WHERE workspace_id = @workspaceId AND source_id = @sourceId AND document_id = @documentId",
            new { workspaceId, sourceId, documentId }, transaction);
        if (chunks.Count > 0)
            await connection.ExecuteAsync(
                $"INSERT INTO knowledge_chunks ({Columns}) VALUES (@WorkspaceId, @SourceId, @DocumentId, @Ordinal, @Title, @Heading, @Text, @Url, @ContentHash, @Embedding)",
                chunks.Select(c => new
                {
                    c.WorkspaceId, c.SourceId, c.DocumentId, Ordinal = (long)c.Ordinal, c.Title, c.Heading, c.Text, c.Url, c.ContentHash,
                    Embedding = KnowledgeChunkRow.Bytes(c.Embedding),
                }),
                transaction);
        await BotRevisions.AdvanceAsync(connection, transaction, workspaceId, BotRevisions.Knowledge);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<KnowledgeChunk>> ListAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KnowledgeChunkRow>(
            $"SELECT {Columns} FROM knowledge_chunks WHERE workspace_id = @workspaceId ORDER BY source_id, document_id, ordinal", new { workspaceId });
        return rows.Select(r => r.ToChunk()).ToList();
    }

    public Task<long> GetRevisionAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        BotRevisions.ReadAsync(dialect, workspaceId, BotRevisions.Knowledge, cancellationToken);
}
