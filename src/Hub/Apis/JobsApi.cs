using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Jobs;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Apis;

/// <summary>Admin endpoints for durable work under <c>/api/admin</c>: closing conversations, transcript syncs and their dead letters.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter(AdminApi.RequireAdmin).WithTags("Admin");
        admin.MapPost("/conversations/{id}/close", CloseAsync);
        admin.MapGet("/transcript-syncs", ListSyncsAsync);
        admin.MapGet("/transcript-syncs/{conversationId}/{connectorId}", GetSyncAsync);
        admin.MapPost("/transcript-syncs/{conversationId}/{connectorId}/retry", RetrySyncAsync);
        admin.MapPost("/transcript-syncs/{conversationId}/{connectorId}/cancel", CancelSyncAsync);
        admin.MapGet("/jobs", JobsAsync);
        admin.MapPost("/retention/run", async (Retention.RetentionService retention, Configuration.ConnectorsConfigurationMonitor config, CancellationToken cancellationToken) =>
        {
            try
            {
                return Results.Ok(await retention.RunAsync(config.Current.Workspace, cancellationToken));
            }
            catch (InvalidOperationException e)
            {
                return Results.Problem(detail: e.Message, statusCode: 422);
            }
        });
        admin.MapGet("/retention/runs", async (Retention.RetentionService retention, Configuration.ConnectorsConfigurationMonitor config, CancellationToken cancellationToken) =>
            await retention.RunsAsync(config.Current.Workspace, cancellationToken: cancellationToken));
        admin.MapGet("/conversations/{id}/csat", async (string id, SqlCsatStore surveys, CancellationToken cancellationToken) =>
            await surveys.GetAsync(id, cancellationToken) is { } survey ? Results.Ok(survey) : Results.Problem(detail: $"conversation '{id}' has no survey", statusCode: 404));
        // Bot-only (contained) and human conversations reported apart.
        admin.MapGet("/csat", async (SqlCsatStore surveys, Configuration.ConnectorsConfigurationMonitor config, CancellationToken cancellationToken) =>
            (await surveys.ReportAsync(config.Current.Workspace, cancellationToken)).Select(r => new { group = r.BotOnly ? "bot-only" : "human", r.Sent, r.Answered, averageRating = r.Average }));
        return app;
    }

    static async Task<IResult> CloseAsync(string id, ConversationService conversations, CancellationToken cancellationToken)
    {
        var conversation = await conversations.Store.GetConversationAsync(id, cancellationToken);
        if (conversation is null) return Results.Problem(detail: $"conversation '{id}' not found", statusCode: 404);
        if (conversation.Mode == ConversationMode.Closed) return Results.Problem(detail: $"conversation '{id}' is already closed", statusCode: 409);
        var closed = await conversations.ChangeAsync(id, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged,
            new { from = conversation.Mode.ToText(), to = "closed", reason = "closed by an admin" }, cancellationToken: cancellationToken);
        return Results.Ok(closed);
    }

    /// <summary><c>?state=dead</c> is the dead-letter list.</summary>
    static async Task<IResult> ListSyncsAsync(string? state, int? limit, SqlTranscriptSyncStore syncs, CancellationToken cancellationToken)
    {
        if (state is not null && !TranscriptSyncStates.All.Contains(state))
            return Results.Problem(detail: $"state must be one of {string.Join(", ", TranscriptSyncStates.All)}", statusCode: 400);
        if (limit is < 1 or > 1000) return Results.Problem(detail: "limit must be between 1 and 1000", statusCode: 400);
        return Results.Ok(await syncs.ListAsync(state, limit ?? 100, cancellationToken));
    }

    static async Task<IResult> GetSyncAsync(string conversationId, string connectorId, SqlTranscriptSyncStore syncs, CancellationToken cancellationToken) =>
        await syncs.GetAsync(conversationId, connectorId, cancellationToken) is { } sync
            ? Results.Ok(sync)
            : Results.Problem(detail: $"no transcript sync of conversation '{conversationId}' to connector '{connectorId}'", statusCode: 404);

    /// <summary>A dead (or waiting) sync gets a fresh retry budget and runs now.</summary>
    static async Task<IResult> RetrySyncAsync(string conversationId, string connectorId, SqlTranscriptSyncStore syncs, TranscriptSyncScheduler scheduler,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var sync = await syncs.GetAsync(conversationId, connectorId, cancellationToken);
        if (sync is null) return Results.Problem(detail: $"no transcript sync of conversation '{conversationId}' to connector '{connectorId}'", statusCode: 404);
        if (!await syncs.RearmAsync(conversationId, connectorId, cancellationToken))
            return Results.Problem(detail: $"the sync is {sync.State}; only dead, failed or cancelled syncs can be retried", statusCode: 409);
        await scheduler.ScheduleAsync(conversationId, connectorId, time.GetUtcNow(), cancellationToken);
        return Results.Accepted($"/api/admin/transcript-syncs/{conversationId}/{connectorId}", await syncs.GetAsync(conversationId, connectorId, cancellationToken));
    }

    static async Task<IResult> CancelSyncAsync(string conversationId, string connectorId, SqlTranscriptSyncStore syncs, CancellationToken cancellationToken)
    {
        var sync = await syncs.GetAsync(conversationId, connectorId, cancellationToken);
        if (sync is null) return Results.Problem(detail: $"no transcript sync of conversation '{conversationId}' to connector '{connectorId}'", statusCode: 404);
        // A booked trigger may still fire: the job then finds the row cancelled and does nothing.
        return await syncs.CancelAsync(conversationId, connectorId, cancellationToken)
            ? Results.Ok(await syncs.GetAsync(conversationId, connectorId, cancellationToken))
            : Results.Problem(detail: $"the sync is {sync.State}; only pending or failed syncs can be cancelled", statusCode: 409);
    }

    /// <summary>The durable work at a glance: transcript syncs by state, and Quartz's booked triggers per job group (qrtz_ tables in the hub's database).</summary>
    static async Task<IResult> JobsAsync(SqlTranscriptSyncStore syncs, SqlDialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var triggers = await Dapper.SqlMapper.QueryAsync<(string Group, string State, long Count, long? Next)>(connection,
            "SELECT job_group, trigger_state, COUNT(*), MIN(next_fire_time) FROM qrtz_triggers GROUP BY job_group, trigger_state ORDER BY job_group, trigger_state");
        return Results.Ok(new
        {
            transcriptSyncs = await syncs.CountsAsync(cancellationToken),
            triggers = triggers.Select(t => new
            {
                group = t.Group, state = t.State.ToLowerInvariant(), count = t.Count,
                // Quartz stores fire times as .NET ticks (UTC).
                nextFireAt = t.Next is { } ticks && ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null,
            }),
        });
    }
}
