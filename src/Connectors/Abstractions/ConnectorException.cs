namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// A vendor call failed. The message names the connector instance and, for validation failures,
/// carries the vendor's own explanation. Never contains secrets or request bodies.
/// </summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException(string connectorId, ConnectorErrorKind kind, string detail, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base($"connector '{connectorId}': {Describe(kind)}: {detail}", inner)
    {
        ConnectorId = connectorId;
        Kind = kind;
        Detail = detail;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public string ConnectorId { get; }
    public ConnectorErrorKind Kind { get; }
    /// <summary>The vendor's explanation or ours, without the connector prefix.</summary>
    public string Detail { get; }
    public int? StatusCode { get; }
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when retrying later can succeed (rate limits and outages).</summary>
    public bool IsTransient => Kind is ConnectorErrorKind.RateLimited or ConnectorErrorKind.Unavailable;

    static string Describe(ConnectorErrorKind kind) => kind switch
    {
        ConnectorErrorKind.AuthenticationFailed => "authentication failed",
        ConnectorErrorKind.PermissionMissing => "permission missing",
        ConnectorErrorKind.ValidationFailed => "validation failed",
        ConnectorErrorKind.NotFound => "not found",
        ConnectorErrorKind.RateLimited => "rate limited",
        _ => "unavailable",
    };
}
