namespace IntegrationHub.Connectors.Http;

/// <summary>Per-request flags the resilience handler reads.</summary>
internal static class ConnectorRequest
{
    static readonly HttpRequestOptionsKey<bool> IdempotentKey = new("IntegrationHub.Idempotent");

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
