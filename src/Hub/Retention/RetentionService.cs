using System.Data.Common;
using Dapper;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Retention;

/// <summary>
/// Removes (purge) or blanks (anonymise) closed conversations older than their channel's retention, in batches,
/// each batch in one transaction; records what it did in <c>retention_runs</c>. A purge first folds the
/// conversations' events into <c>event_counts</c>, so event statistics outlive the conversations.
/// </summary>
internal sealed class RetentionService(SqlDialect dialect, IOptionsMonitor<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
{
    const int BatchSize = 200;
    public const string Removed = "[removed by retention]";

    // Dapper expands a list into IN (...) on SQLite but sends Npgsql one array parameter.
    readonly string In = dialect is PostgresDialect ? "= ANY(@ids)" : "IN @ids";

    public async Task<RetentionReport> RunAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var purge = settings.Mode switch
        {
            "purge" => true,
            "anonymise" => false,
            _ => throw new InvalidOperationException($"Hub:Retention:Mode must be purge or anonymise, not '{settings.Mode}'"),
        };
        var started = time.GetUtcNow();
        long conversations = 0, messages = 0, attachments = 0;
        var perChannel = new Dictionary<string, long>();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var channels = await connection.QueryAsync<string>(
            "SELECT DISTINCT channel FROM conversations WHERE workspace_id = @workspaceId AND mode = 'closed'", new { workspaceId });
        foreach (var channel in channels)
        {
            var days = settings.Channels.TryGetValue(channel, out var own) ? own : settings.Days;
            if (days <= 0) continue;
            var cutoff = started.AddDays(-days);
            while (true)
            {
                var ids = (await connection.QueryAsync<string>(
                    $"""
                    SELECT id FROM conversations WHERE workspace_id = @workspaceId AND channel = @channel AND mode = 'closed' AND closed_at < @cutoff
                    {(purge ? "" : "AND anonymised_at IS NULL")} ORDER BY closed_at, id LIMIT {BatchSize}
                    """, new { workspaceId, channel, cutoff })).ToList();
                if (ids.Count == 0) break;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                messages += await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM messages WHERE conversation_id {In}", new { ids }, transaction);
                attachments += await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM attachments WHERE conversation_id {In}", new { ids }, transaction);
                if (purge) await PurgeAsync(connection, transaction, workspaceId, ids);
                else await AnonymiseAsync(connection, transaction, ids, started);
                await transaction.CommitAsync(cancellationToken);
                conversations += ids.Count;
                perChannel[channel] = perChannel.GetValueOrDefault(channel) + ids.Count;
            }
        }
        var report = new RetentionReport(purge ? "purge" : "anonymise", started, time.GetUtcNow(), conversations, messages, attachments, perChannel);
        await connection.ExecuteAsync(
            """
            INSERT INTO retention_runs (workspace_id, mode, started_at, finished_at, conversations, messages, attachments, details)
            VALUES (@workspaceId, @Mode, @StartedAt, @FinishedAt, @Conversations, @Messages, @Attachments, @details)
            """,
            new { workspaceId, report.Mode, report.StartedAt, report.FinishedAt, report.Conversations, report.Messages, report.Attachments, details = StoredJson.Write(perChannel) });
        logger.LogInformation("Retention ({Mode}): {Conversations} conversation(s), {Messages} message(s), {Attachments} attachment(s)",
            report.Mode, conversations, messages, attachments);
        return report;
    }

    public async Task<IReadOnlyList<RetentionReport>> RunsAsync(string workspaceId, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Mode, object StartedAt, object FinishedAt, long Conversations, long Messages, long Attachments, string Details)>(
            "SELECT mode, started_at, finished_at, conversations, messages, attachments, details FROM retention_runs WHERE workspace_id = @workspaceId ORDER BY id DESC LIMIT @limit",
            new { workspaceId, limit });
        return rows.Select(r => new RetentionReport(r.Mode, DateTimeOffsetHandler.Read(r.StartedAt), DateTimeOffsetHandler.Read(r.FinishedAt), r.Conversations, r.Messages, r.Attachments,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(r.Details) ?? [])).ToList();
    }

    async Task AnonymiseAsync(DbConnection connection, DbTransaction transaction, List<string> ids, DateTimeOffset now)
    {
        await connection.ExecuteAsync($"UPDATE messages SET body = '{Removed}', author_name = NULL, attachments = NULL WHERE conversation_id {In}", new { ids }, transaction);
        await connection.ExecuteAsync($"DELETE FROM attachments WHERE conversation_id {In}", new { ids }, transaction);
        await connection.ExecuteAsync($"UPDATE conversations SET bot_state = NULL, anonymised_at = @now WHERE id {In}", new { ids, now }, transaction);
    }

    async Task PurgeAsync(DbConnection connection, DbTransaction transaction, string workspaceId, List<string> ids)
    {
        // The event log is append-only except here: its counts per kind and day are kept before the rows go.
        var events = await connection.QueryAsync<(string Kind, object CreatedAt)>(
            $"SELECT kind, created_at FROM conversation_events WHERE conversation_id {In}", new { ids }, transaction);
        foreach (var group in events.GroupBy(e => (e.Kind, Day: DateTimeOffsetHandler.Read(e.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd"))))
            await connection.ExecuteAsync(
                """
                INSERT INTO event_counts (workspace_id, kind, day, count) VALUES (@workspaceId, @Kind, @Day, @count)
                ON CONFLICT (workspace_id, kind, day) DO UPDATE SET count = event_counts.count + excluded.count
                """,
                new { workspaceId, group.Key.Kind, group.Key.Day, count = (long)group.Count() }, transaction);
        foreach (var table in new[] { "messages", "attachments", "conversation_tickets", "transcript_syncs", "sla_timers", "csat_surveys", "conversation_events" })
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE conversation_id {In}", new { ids }, transaction);
        await connection.ExecuteAsync($"DELETE FROM conversations WHERE id {In}", new { ids }, transaction);
    }
}
