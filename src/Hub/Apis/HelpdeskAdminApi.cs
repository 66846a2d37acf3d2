using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Apis;

/// <summary>
/// Admin view of the helpdesk loop under <c>/api/admin/helpdesk</c>: tickets still waiting on a vendor
/// (with the last error) and webhook events that could not be applied, and a "retry now" for each.
/// </summary>
internal static class HelpdeskAdminApi
{
    public static IEndpointRouteBuilder MapHelpdeskAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/helpdesk").AddEndpointFilter(AdminApi.RequireAdmin).WithTags("Admin");
        admin.MapGet("/", async (SqlTicketSyncStore outbox, SqlWebhookEventStore inbox, CancellationToken cancellationToken) => new
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
        return app;
    }
}
