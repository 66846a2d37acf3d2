namespace IntegrationHub.Connectors.Http;

/// <summary>
/// Optional settings every manifest accepts to tune the shared HTTP pipeline; absent values keep the
/// vendor's defaults (its published rate limit).
/// </summary>
public sealed class ConnectorHttpSettings
{
    public int? RateLimitRequests { get; set; }
    public double? RateLimitWindowSeconds { get; set; }
    public double? TimeoutSeconds { get; set; }
    public int? MaxRetries { get; set; }
    public double? CircuitBreakSeconds { get; set; }
}
