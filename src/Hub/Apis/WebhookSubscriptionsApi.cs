using System.Security.Cryptography;
using IntegrationHub.Hub.OutboundWebhooks;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Apis;

/// <summary>Outbound webhook subscriptions under <c>/api/admin/webhook-subscriptions</c>; the secret is shown once, at creation.</summary>
internal static class WebhookSubscriptionsApi
{
    public static IEndpointRouteBuilder MapWebhookSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/webhook-subscriptions").AddEndpointFilter(AdminApi.RequireAdmin).WithTags("Admin");
        admin.MapPost("/", async (CreateSubscriptionRequest request, SqlWebhookSubscriptionStore store, OutboundWebhookPublisher publisher, CancellationToken cancellationToken) =>
        {
            if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
                return Results.Problem(detail: $"url '{request.Url}' is not an absolute http(s) URL", statusCode: 400);
            var events = request.Events ?? [];
            if (events.Count == 0 || events.Any(e => !HubEventNames.All.Contains(e)))
                return Results.Problem(detail: $"events must name one or more of: {string.Join(", ", HubEventNames.All)}", statusCode: 400);
            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var row = await store.CreateAsync("default", url.ToString(), secret, StoredJson.Write(events.Distinct().ToList()), cancellationToken);
            publisher.Invalidate();
            return Results.Created($"/api/admin/webhook-subscriptions/{row.Id}", new { row.Id, row.Url, events, secret });
        });
        admin.MapGet("/", async (SqlWebhookSubscriptionStore store, CancellationToken cancellationToken) =>
            (await store.ListAsync(cancellationToken)).Select(View));
        admin.MapGet("/{id}/deliveries", async (string id, SqlWebhookSubscriptionStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is null
                ? Results.Problem(detail: $"subscription '{id}' not found", statusCode: 404)
                : Results.Ok((await store.DeliveriesAsync(id, 200, cancellationToken)).Select(d => new
                {
                    d.Id, d.Event, d.Attempts, d.LastStatus, d.LastResponse, d.LastError, d.NextAttemptAt, d.DeliveredAt, d.CreatedAt,
                })));
        admin.MapPost("/{id}/enable", async (string id, SqlWebhookSubscriptionStore store, OutboundWebhookPublisher publisher, CancellationToken cancellationToken) =>
        {
            if (!await store.EnableAsync(id, cancellationToken)) return Results.Problem(detail: $"subscription '{id}' not found", statusCode: 404);
            publisher.Invalidate();
            return Results.Ok(View((await store.GetAsync(id, cancellationToken))!));
        });
        admin.MapDelete("/{id}", async (string id, SqlWebhookSubscriptionStore store, OutboundWebhookPublisher publisher, CancellationToken cancellationToken) =>
        {
            if (!await store.DeleteAsync(id, cancellationToken)) return Results.Problem(detail: $"subscription '{id}' not found", statusCode: 404);
            publisher.Invalidate();
            return Results.NoContent();
        });
        return app;
    }

    static object View(WebhookSubscriptionRow row) => new
    {
        row.Id, row.Url, events = StoredJson.List(row.Events), enabled = row.Enabled == 1, row.DisabledReason, row.ConsecutiveFailures, row.CreatedAt,
    };
}
