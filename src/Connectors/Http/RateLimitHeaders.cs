using System.Globalization;
using System.Net;

namespace IntegrationHub.Connectors.Http;

/// <summary>Readers for each vendor's rate-limit signals (see docs/vendor-contracts in each connector README).</summary>
internal static class RateLimitHeaders
{
    /// <summary>429 with <c>Retry-After</c> (seconds or HTTP date).</summary>
    public static ThrottleSignal? Standard(HttpResponseMessage response, DateTimeOffset now) =>
        response.StatusCode == HttpStatusCode.TooManyRequests ? new(true, RetryAfter(response, now)) : null;

    /// <summary>Zendesk: 429 + Retry-After; <c>X-Rate-Limit-Remaining: 0</c> pauses until <c>ratelimit-reset</c>.</summary>
    public static ThrottleSignal? Zendesk(HttpResponseMessage response, DateTimeOffset now) =>
        Standard(response, now) ?? (Int(response, "X-Rate-Limit-Remaining") == 0 ? new(false, Seconds(response, "ratelimit-reset") ?? TimeSpan.FromSeconds(1)) : null);

    /// <summary>Freshdesk: 429 + Retry-After; <c>X-RateLimit-Remaining: 0</c> pauses briefly.</summary>
    public static ThrottleSignal? Freshdesk(HttpResponseMessage response, DateTimeOffset now) =>
        Standard(response, now) ?? (Int(response, "X-RateLimit-Remaining") == 0 ? new(false, TimeSpan.FromSeconds(1)) : null);

    /// <summary>HubSpot: 429 (no Retry-After documented): wait the policy interval from <c>X-HubSpot-RateLimit-Interval-Milliseconds</c>.</summary>
    public static ThrottleSignal? HubSpot(HttpResponseMessage response, DateTimeOffset now)
    {
        var interval = Int(response, "X-HubSpot-RateLimit-Interval-Milliseconds") is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        if (response.StatusCode == HttpStatusCode.TooManyRequests) return new(true, RetryAfter(response, now) ?? interval ?? TimeSpan.FromSeconds(10));
        return Int(response, "X-HubSpot-RateLimit-Remaining") == 0 ? new(false, interval ?? TimeSpan.FromSeconds(1)) : null;
    }

    /// <summary>Jira: 429 (or 503) with Retry-After, or <c>X-RateLimit-Reset</c> as ISO-8601.</summary>
    public static ThrottleSignal? Jira(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests &&
            !(response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)) return null;
        var wait = RetryAfter(response, now);
        if (wait is null && Header(response, "X-RateLimit-Reset") is { } reset &&
            DateTimeOffset.TryParse(reset, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            wait = Positive(at - now);
        return new(true, wait);
    }

    /// <summary>ServiceNow: 429 with <c>X-RateLimit-Reset</c> (Unix seconds), Retry-After when present.</summary>
    public static ThrottleSignal? ServiceNow(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests) return null;
        var wait = RetryAfter(response, now);
        if (wait is null && Header(response, "X-RateLimit-Reset") is { } reset && long.TryParse(reset, out var epoch))
            wait = Positive(DateTimeOffset.FromUnixTimeSeconds(epoch) - now);
        // The reset is whole seconds: never retry sooner than a second.
        return new(true, wait is { } w && w < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
    }

    /// <summary>
    /// Salesforce: no 429. 403 <c>REQUEST_LIMIT_EXCEEDED</c> (a body code) means either the rolling 24-hour
    /// allocation is used up (<c>Sforce-Limit-Info: api-usage=n/m</c> with n ≥ m: wait long, the job retries
    /// later) or a short-lived limit such as concurrent long-running requests (the request was not
    /// processed: back off briefly and retry). https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
    /// </summary>
    public static ThrottleSignal? Salesforce(HttpResponseMessage response, DateTimeOffset now)
    {
        var exhausted = false;
        if (Header(response, "Sforce-Limit-Info") is { } info)
        {
            var usage = info.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("api-usage=", StringComparison.Ordinal));
            exhausted = usage?["api-usage=".Length..].Split('/') is [var used, var max] && long.TryParse(used, out var u) && long.TryParse(max, out var m) && u >= m;
        }
        if (response.StatusCode == HttpStatusCode.Forbidden && (exhausted || BufferedBodyContains(response, "REQUEST_LIMIT_EXCEEDED")))
            return new(true, exhausted ? TimeSpan.FromHours(1) : RetryAfter(response, now) ?? TimeSpan.FromSeconds(1));
        return exhausted ? new(false, TimeSpan.FromHours(1)) : Standard(response, now);
    }

    /// <summary>Looks into an error body the resilience handler buffered; never blocks on an unbuffered stream.</summary>
    static bool BufferedBodyContains(HttpResponseMessage response, string text)
    {
        if (response.Content is not { } content || content.Headers.ContentLength is not (> 0 and < 65_536)) return false;
        // Buffered content answers from memory, synchronously, and stays readable for the caller.
        var read = content.ReadAsStringAsync();
        return read.IsCompletedSuccessfully && read.Result.Contains(text, StringComparison.Ordinal);
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not { } retryAfter) return null;
        if (retryAfter.Delta is { } delta) return delta;
        return retryAfter.Date is { } date ? Positive(date - now) : null;
    }

    static TimeSpan Positive(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    static long? Int(HttpResponseMessage response, string name) =>
        long.TryParse(Header(response, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    static TimeSpan? Seconds(HttpResponseMessage response, string name) => Int(response, name) is { } s ? TimeSpan.FromSeconds(s) : null;
}
