using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Webhooks.Inbound;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Apis;

/// <summary><c>POST /api/webhooks/{connectorId}</c>: helpdesk webhooks into the inbound pipeline (src/Webhooks).</summary>
internal static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/webhooks/{connectorId}", ReceiveAsync).DisableAntiforgery();
        return app;
    }

    static async Task<IResult> ReceiveAsync(string connectorId, HttpContext http, InboundWebhookPipeline pipeline,
        [FromKeyedServices(WebhookEventDispatcher.Signal)] HelpdeskSignal dispatch, IOptions<HubOptions> options)
    {
        // The raw bytes, untouched: signatures cover them exactly.
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var request = WebhookRequest.Create(http.Request.Method, PublicUrl(http, options.Value.PublicBaseUrl),
            http.Request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())), buffer.ToArray());
        var outcome = await pipeline.ReceiveAsync(connectorId, request, http.RequestAborted);
        if (!outcome.Succeeded) return Results.Problem(statusCode: outcome.Status, detail: outcome.Reason);
        if (outcome.Accepted > 0) dispatch.Wake();
        return Results.Ok(new { accepted = outcome.Accepted, duplicates = outcome.Duplicates });
    }

    /// <summary>The URL the vendor called, as vendors that sign URLs (Twilio) saw it: behind a proxy that is the configured public address.</summary>
    static Uri PublicUrl(HttpContext http, string? publicBaseUrl)
    {
        var pathAndQuery = http.Request.Path.Value + http.Request.QueryString.Value;
        return string.IsNullOrWhiteSpace(publicBaseUrl)
            ? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{pathAndQuery}")
            : new Uri(publicBaseUrl.TrimEnd('/') + pathAndQuery);
    }
}
