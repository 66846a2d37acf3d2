using System.Threading.RateLimiting;
using IntegrationHub.Hub.Configuration;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Hub.Extensions;

internal static class RateLimitingExtensions
{
    /// <summary>
    /// Token buckets on the channel APIs: one per client IP and one per visitor token, chained, so a
    /// visitor is limited on its own and all visitors behind one address together. A 429 says when to retry.
    /// </summary>
    public static IServiceCollection AddHubRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsChannelApi(http)
                    ? RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Bucket(limits.PerIpPerMinute))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsChannelApi(http) && VisitorToken(http) is { Length: > 0 } token
                    ? RateLimitPartition.GetTokenBucketLimiter(token, _ => Bucket(limits.PerVisitorPerMinute))
                    : RateLimitPartition.GetNoLimiter("")));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = seconds.ToString();
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = 429, Detail = $"too many requests; retry after {seconds} s" },
                });
            };
        });
        return services;
    }

    static bool IsChannelApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api/webchat");

    static string VisitorToken(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is { Length: > 7 } header ? header[7..] : http.Request.Query["token"].ToString();

    static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = Math.Max(1, perMinute),
        TokensPerPeriod = Math.Max(1, perMinute / 6),
        ReplenishmentPeriod = TimeSpan.FromSeconds(10),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
