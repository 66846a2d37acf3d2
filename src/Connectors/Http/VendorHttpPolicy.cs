namespace IntegrationHub.Connectors.Http;

/// <summary>
/// The resilience settings of one connector instance: the vendor's published rate limit (the
/// client-side limiter paces to it), timeouts, retries, circuit breaker and how to read the vendor's
/// rate-limit signals.
/// </summary>
internal sealed record VendorHttpPolicy
{
    /// <summary>Requests allowed per <see cref="Window"/> (the vendor's published limit).</summary>
    public int PermitLimit { get; init; } = 600;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>A throttle asking to wait longer than this is not retried in-line: the caller's job retries later.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
    public double FailureRatio { get; init; } = 0.5;
    public int MinimumThroughput { get; init; } = 5;
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Reads the vendor's throttle signals from a response; defaults to 429 + Retry-After.</summary>
    public Func<HttpResponseMessage, DateTimeOffset, ThrottleSignal?> ReadThrottle { get; init; } = RateLimitHeaders.Standard;

    /// <summary>Applies the shared optional settings every manifest accepts.</summary>
    public VendorHttpPolicy With(ConnectorHttpSettings settings) => this with
    {
        PermitLimit = settings.RateLimitRequests ?? PermitLimit,
        Window = settings.RateLimitWindowSeconds is { } w ? TimeSpan.FromSeconds(w) : Window,
        AttemptTimeout = settings.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : AttemptTimeout,
        MaxRetries = settings.MaxRetries ?? MaxRetries,
        BreakDuration = settings.CircuitBreakSeconds is { } b ? TimeSpan.FromSeconds(b) : BreakDuration,
    };
}
