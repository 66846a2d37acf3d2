namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// Verifies and parses a vendor's inbound webhook. The hub's webhook pipeline (src/Webhooks) owns
/// the raw body, the replay window, de-duplication and persist-before-ack; it calls
/// <see cref="Verify"/> first and <see cref="ParseAsync"/> only for verified requests.
/// </summary>
/// <remarks>
/// Implementations are thread-safe, compare signatures in constant time over the raw bytes, and
/// never log the body or the secret.
/// </remarks>
public interface IWebhookReceiver
{
    /// <summary>Checks the request's signature or shared secret. Does not parse the body.</summary>
    WebhookVerification Verify(WebhookRequest request);

    /// <summary>
    /// Turns a verified request into neutral events (one delivery may hold several). Unknown or
    /// irrelevant vendor events yield an empty list, not an error; a malformed body throws
    /// <see cref="ConnectorException"/> with <see cref="ConnectorErrorKind.ValidationFailed"/>.
    /// </summary>
    Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default);
}
