namespace IntegrationHub.Connectors.Http;

/// <summary>Per-request flags the resilience handler reads.</summary>
internal static class ConnectorRequest
{
    static readonly HttpRequestOptionsKey<bool> IdempotentKey = new("IntegrationHub.Idempotent");
    static readonly HttpRequestOptionsKey<TimeSpan> ThrottleWaitKey = new("IntegrationHub.ThrottleWait");

    /// <summary>Remembers how long the vendor asked to wait, read from its own rate-limit signals (not only Retry-After).</summary>
    public static void SetThrottleWait(this HttpRequestMessage request, TimeSpan wait) => request.Options.Set(ThrottleWaitKey, wait);

    /// <summary>The wait the vendor's last throttle answer to this request asked for, if any.</summary>
    public static TimeSpan? ThrottleWait(this HttpRequestMessage request) => request.Options.TryGetValue(ThrottleWaitKey, out var wait) ? wait : null;

    /// <summary>Marks a non-GET/PUT/DELETE request as safe to repeat (an upsert by external id, a create-only conditional request).</summary>
    public static HttpRequestMessage MarkIdempotent(this HttpRequestMessage request)
    {
        request.Options.Set(IdempotentKey, true);
        return request;
    }

    /// <summary>Safe to repeat: idempotent by method, by an <c>Idempotency-Key</c> header, or marked.</summary>
    public static bool IsSafeToRetry(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put ||
        request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options ||
        request.Headers.Contains("Idempotency-Key") ||
        (request.Options.TryGetValue(IdempotentKey, out var marked) && marked);
}
