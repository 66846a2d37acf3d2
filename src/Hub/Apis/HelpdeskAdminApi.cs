using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Apis;

/// <summary>
/// Admin view of the helpdesk loop under <c>/api/admin/helpdesk</c>: tickets still waiting on a vendor
/// (with the last error), webhook events that could not be applied and ticket histories that cannot be read,
/// and a "retry now" for each; and the
/// AI draft for a conversation, posted to its tickets as an internal note.
/// </summary>
internal static class HelpdeskAdminApi
{
    public static IEndpointRouteBuilder MapHelpdeskAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/helpdesk").AddEndpointFilter(AdminApi.RequireAdmin).WithTags("Admin");
        admin.MapGet("/", async (SqlTicketSyncStore outbox, SqlWebhookEventStore inbox, SqlTicketHistoryStore histories, CancellationToken cancellationToken) => new
        {
            failingTickets = (await outbox.FailingAsync(200, cancellationToken)).Select(r => new
            {
                r.ConversationId, r.ConnectorId, r.Route, r.Queue, ticketId = r.ExternalId, r.SyncedSeq, r.WantedSeq, r.Attempts, r.NextAttemptAt, r.LastError,
            }),
            failedWebhookEvents = (await inbox.FailedAsync(200, cancellationToken)).Select(r => new
            {
                r.ConnectorId, r.VendorEventId, r.Ordinal, r.ConversationId, r.Kind, r.TicketExternalId, r.Attempts,
                deadLetter = r.Attempts >= SqlWebhookEventStore.MaxAttempts, r.LastError,
            }),
            // Helpdesks without webhooks (Request Tracker): tickets whose history cannot be read, backing off.
            failingHistoryReads = (await histories.FailingAsync(200, cancellationToken)).Select(r => new
            {
                r.ConnectorId, ticketId = r.ExternalId, r.ConversationId, r.Failures, r.NextPollAt, r.PolledAt, r.LastError,
            }),
        });
        admin.MapPost("/tickets/{conversationId}/retry", async (string conversationId, SqlTicketSyncStore outbox,
            [FromKeyedServices(HelpdeskHandoff.TicketsSignal)] HelpdeskSignal signal, CancellationToken cancellationToken) =>
        {
            var rows = await outbox.RetryFailingNowAsync(conversationId, cancellationToken);
            if (rows == 0) return Results.Problem(detail: $"conversation '{conversationId}' has no failing helpdesk ticket", statusCode: 404);
            signal.Wake();
            return Results.Accepted(value: new { retrying = rows });
        });
        admin.MapPost("/webhook-events/{connectorId}/{vendorEventId}/retry", async (string connectorId, string vendorEventId, SqlWebhookEventStore inbox,
            [FromKeyedServices(WebhookEventDispatcher.Signal)] HelpdeskSignal signal, CancellationToken cancellationToken) =>
        {
            var rows = await inbox.RetryAsync(connectorId, vendorEventId, cancellationToken);
            if (rows == 0) return Results.Problem(detail: $"no unapplied event '{vendorEventId}' of connector '{connectorId}'", statusCode: 404);
            signal.Wake();
            return Results.Accepted(value: new { retrying = rows });
        });
        admin.MapPost("/history-reads/{connectorId}/{ticketId}/retry", async (string connectorId, string ticketId, SqlTicketHistoryStore histories,
            CancellationToken cancellationToken) =>
        {
            var rows = await histories.RetryNowAsync(connectorId, ticketId, cancellationToken);
            if (rows == 0) return Results.Problem(detail: $"ticket '{ticketId}' of connector '{connectorId}' has no failing history read", statusCode: 404);
            return Results.Accepted(value: new { retrying = rows });
        });
        admin.MapPost("/conversations/{id}/draft-note", PostDraftNoteAsync);
        return app;
    }

    /// <summary>
    /// 201 with the draft and the tickets that got it. 404 unknown conversation; 409 no bot, or no ticket (with the
    /// reason); 503 + Retry-After when the helpdesk rate-limits, 502 when it fails: nothing recorded unless a ticket has the note.
    /// </summary>
    static async Task<IResult> PostDraftNoteAsync(string id, DraftRequestBody? request, AgentDraftNotes notes, IOptions<HubOptions> options,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (request?.Instructions is { Length: > 1000 })
            return Results.Problem(detail: "instructions must be at most 1000 characters", statusCode: 400);
        var linkBase = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}" : options.Value.PublicBaseUrl;
        var instructions = string.IsNullOrWhiteSpace(request?.Instructions) ? null : request.Instructions.Trim();
        var result = await notes.PostAsync(id, instructions, linkBase, cancellationToken);
        var body = new
        {
            conversationId = id,
            draft = result.Draft,
            tickets = (result.Posted ?? []).Select(t => new { t.ConnectorId, ticketId = t.ExternalId, t.Url }),
            messageSequence = result.Sequence,
        };
        switch (result.Outcome)
        {
            case AgentDraftNoteOutcome.Posted:
                return Results.Json(body, statusCode: 201);
            case AgentDraftNoteOutcome.ConversationNotFound:
                return Results.Problem(detail: result.Reason, statusCode: 404);
            case AgentDraftNoteOutcome.NoBot or AgentDraftNoteOutcome.NoTicket:
                return Results.Problem(detail: result.Reason, statusCode: 409);
            default:
                var error = result.Error!;
                var done = result.Posted is { Count: > 0 } posted ? $"the note is on ticket(s) {string.Join(", ", posted.Select(t => t.ExternalId))} only" : "no ticket has the note and the hub recorded nothing";
                var extensions = new Dictionary<string, object?> { ["tickets"] = body.tickets, ["messageSequence"] = result.Sequence };
                if (error.Kind == ConnectorErrorKind.RateLimited)
                {
                    if (error.RetryAfter is { } wait) http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(detail: $"the helpdesk is rate limiting: {error.Message}; {done}. Ask again later.", statusCode: 503, extensions: extensions);
                }
                return Results.Problem(detail: $"the helpdesk did not take the note: {error.Message}; {done}.", statusCode: 502, extensions: extensions);
        }
    }
}
