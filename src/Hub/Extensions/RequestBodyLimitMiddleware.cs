using IntegrationHub.Hub.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Extensions;

/// <summary>
/// Caps API request bodies well below Kestrel's 30 MB default; upload endpoints raise it for themselves.
/// A declared length over the cap is refused before a byte is read.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HubOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var limit = options.Value.MaxJsonBodyBytes;
        var isUpload = http.Request.Path.Value?.EndsWith("/attachments", StringComparison.Ordinal) == true;
        if (http.Request.Path.StartsWithSegments("/api") && !isUpload)
        {
            if (http.Request.ContentLength > limit)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await problems.WriteAsync(new()
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = 413, Detail = $"the request body is {http.Request.ContentLength} bytes; the limit is {limit}" },
                });
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        }
        await next(http);
    }
}
