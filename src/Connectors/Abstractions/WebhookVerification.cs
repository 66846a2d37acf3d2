namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Result of a webhook check.</summary>
/// <param name="SignedAt">The time covered by the signature, when the vendor signs one; the pipeline applies its replay window to it.</param>
/// <param name="Reason">Why verification failed; safe to log (no secrets, no body).</param>
public sealed record WebhookVerification(bool Valid, DateTimeOffset? SignedAt, string? Reason)
{
    public static WebhookVerification Success(DateTimeOffset? signedAt = null) => new(true, signedAt, null);
    public static WebhookVerification Failure(string reason) => new(false, null, reason);
}
