namespace IntegrationHub.Connectors.Abstractions;

/// <summary>What went wrong talking to a vendor, in hub terms.</summary>
public enum ConnectorErrorKind
{
    /// <summary>Credentials rejected (401): fix the secret.</summary>
    AuthenticationFailed,
    /// <summary>Authenticated but not allowed (403): grant the missing permission/scope.</summary>
    PermissionMissing,
    /// <summary>The vendor refused the data (400/409/422); the message carries the vendor's reason.</summary>
    ValidationFailed,
    /// <summary>The ticket/contact does not exist (404).</summary>
    NotFound,
    /// <summary>Throttled (429 or the vendor's equivalent); retry after <see cref="ConnectorException.RetryAfter"/>.</summary>
    RateLimited,
    /// <summary>Network failure, timeout, 5xx or an open circuit: transient, retry later.</summary>
    Unavailable,
}
