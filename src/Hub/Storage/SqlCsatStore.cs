using Dapper;
using IntegrationHub.Hub.Csat;

namespace IntegrationHub.Hub.Storage;

/// <summary>The <c>csat_surveys</c> table. Every state change is conditional, so a survey is sent and answered once.</summary>
internal sealed class SqlCsatStore(SqlDialect dialect, TimeProvider time)
{
    const string Columns = "conversation_id, workspace_id, channel, bot_only, state, scheduled_for, sent_at, rating, comment, answered_at, pushed_at, push_error";

    static SqlCsatStore() => DateTimeOffsetHandler.Register();

    /// <summary>Books the survey unless the conversation ever had one. True when booked now.</summary>
    public async Task<bool> ScheduleAsync(string conversationId, string workspaceId, string channel, bool botOnly, DateTimeOffset scheduledFor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO csat_surveys (conversation_id, workspace_id, channel, bot_only, state, scheduled_for, created_at)
            VALUES (@conversationId, @workspaceId, @channel, @botOnly, 'scheduled', @scheduledFor, @now) ON CONFLICT (conversation_id) DO NOTHING
            """,
            new { conversationId, workspaceId, channel, botOnly = botOnly ? 1L : 0L, scheduledFor, now = time.GetUtcNow() }) > 0;
    }

    public async Task<CsatSurvey?> GetAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CsatSurveyRow>($"SELECT {Columns} FROM csat_surveys WHERE conversation_id = @conversationId", new { conversationId });
        return row?.ToSurvey();
    }

    public async Task<bool> MarkSentAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE csat_surveys SET state = 'sent', sent_at = @now WHERE conversation_id = @conversationId AND state = 'scheduled'",
            new { conversationId, now = time.GetUtcNow() }) > 0;
    }

    /// <summary>Stores the answer if the survey was sent and not yet answered. False otherwise.</summary>
    public async Task<bool> AnswerAsync(string conversationId, int rating, string? comment, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE csat_surveys SET state = 'answered', rating = @rating, comment = @comment, answered_at = @now WHERE conversation_id = @conversationId AND state = 'sent'",
            new { conversationId, rating = (long)rating, comment, now = time.GetUtcNow() }) > 0;
    }

    public async Task MarkPushedAsync(string conversationId, string? error, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE csat_surveys SET pushed_at = CASE WHEN @error IS NULL THEN @now ELSE pushed_at END, push_error = @error WHERE conversation_id = @conversationId",
            new { conversationId, error, now = time.GetUtcNow() });
    }

    /// <summary>Answered surveys per group (bot-only or with a human): count and average rating.</summary>
    public async Task<IReadOnlyList<(bool BotOnly, long Sent, long Answered, double? Average)>> ReportAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long BotOnly, long Sent, long Answered, double? Average)>(
            """
            SELECT bot_only, COUNT(sent_at), COUNT(rating), AVG(CAST(rating AS REAL))
            FROM csat_surveys WHERE workspace_id = @workspaceId GROUP BY bot_only ORDER BY bot_only
            """, new { workspaceId });
        return rows.Select(r => (r.BotOnly != 0, r.Sent, r.Answered, r.Average)).ToList();
    }
}
