using System.Net;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Webhooks.Signing;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Apis;

/// <summary>Admin endpoints under <c>/api/admin</c>: connectors, reload, conversations.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter(RequireAdmin).WithTags("Admin");
        admin.MapGet("/connectors", (ConnectorsConfigurationMonitor monitor) => new
        {
            file = monitor.FilePath,
            workspace = monitor.Current.Workspace,
            // Settings hold secret references (env:NAME, paths), never values: safe to show.
            connectors = monitor.Current.Connectors.Select(c => new { c.Id, c.Type, c.Enabled, c.Settings, capabilities = c.Manifest.Capabilities }),
        });
        admin.MapGet("/connector-types", (ConnectorCatalog catalog) =>
            catalog.Manifests.OrderBy(m => m.Id).Select(m => new { m.Id, m.DisplayName, m.Version, m.Capabilities, m.Secrets, m.WebhookEvents, m.SettingsSchema }));
        admin.MapPost("/connectors/reload", (ConnectorsConfigurationMonitor monitor) => monitor.Reload()
            ? Results.Ok(new { reloaded = true, connectors = monitor.Current.Connectors.Count })
            : Results.Problem(detail: "connectors.json is invalid; the last good configuration stays in force (see the hub log for the problems)", statusCode: 422));
        admin.MapGet("/contacts/{id}", async (string id, IConversationStore store, CancellationToken cancellationToken) =>
            await store.GetContactAsync(id, cancellationToken) is { } contact
                ? Results.Ok(contact)
                : Results.Problem(detail: $"contact '{id}' not found", statusCode: 404));
        admin.MapPut("/contacts/{id}/segments", async (string id, SegmentsRequest request, IConversationStore store, CancellationToken cancellationToken) =>
        {
            if (request.Segments is null || request.Segments.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 50))
                return Results.Problem(detail: "segments must be a list of names of 1-50 characters", statusCode: 400);
            if (await store.GetContactAsync(id, cancellationToken) is null)
                return Results.Problem(detail: $"contact '{id}' not found", statusCode: 404);
            return Results.Ok(await store.UpdateContactAsync(id, new ContactDetails(Segments: request.Segments), cancellationToken));
        });
        admin.MapGet("/conversations/{id}", async (string id, IConversationStore store, CancellationToken cancellationToken) =>
            await store.GetConversationAsync(id, cancellationToken) is { } conversation
                ? Results.Ok(new
                {
                    conversation,
                    messages = await store.GetMessagesAsync(id, 0, 1000, cancellationToken),
                    events = await store.GetEventsAsync(id, cancellationToken),
                })
                : Results.Problem(detail: $"conversation '{id}' not found", statusCode: 404));
        return app;
    }

    /// <summary>Bearer token when Hub:AdminToken is set; otherwise callers on this machine only.</summary>
    internal static async ValueTask<object?> RequireAdmin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var configured = http.RequestServices.GetRequiredService<IOptions<HubOptions>>().Value.AdminToken;
        if (configured is null)
        {
            // No remote address means no network peer: a Unix socket or an in-process caller.
            if (http.Connection.RemoteIpAddress is not { } ip || IPAddress.IsLoopback(ip)) return await next(context);
            return Results.Problem(detail: "the admin API answers only local callers until Hub:AdminToken is configured", statusCode: 403);
        }
        if (!SecretReference.TryParse(configured, out var reference, out var error) ||
            !reference!.TryResolve(AppContext.BaseDirectory, out var expected, out error))
            return Results.Problem(detail: $"Hub:AdminToken is not usable: {error}", statusCode: 500);
        var header = http.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return HmacSignature.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given))
            ? await next(context)
            : Results.Problem(detail: "a valid admin bearer token is required", statusCode: 401);
    }
}

/// <summary>A contact's segments (e.g. <c>vip</c>), replacing the current ones.</summary>
public sealed record SegmentsRequest(IReadOnlyList<string>? Segments);
