namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// One configured connector instance (one entry of <c>connectors.json</c>). The hub asks for
/// capabilities by casting to <see cref="ITicketSink"/>, <see cref="IContactDirectory"/>,
/// <see cref="IKnowledgeSource"/> or <see cref="IWebhookReceiver"/>, never for vendors.
/// </summary>
/// <remarks>
/// Instances are thread-safe and long-lived: they own their HTTP pipeline (rate limiter, circuit
/// breaker) for the lifetime of the registry. Errors are <see cref="ConnectorException"/>s that name
/// <see cref="Id"/> and never contain secrets.
/// </remarks>
public interface IConnector
{
    /// <summary>Instance id from <c>connectors.json</c>, e.g. <c>zendesk-eu</c>.</summary>
    string Id { get; }

    ConnectorManifest Manifest { get; }

    /// <summary>
    /// Proves credentials, permissions and reachability with one or two cheap read calls.
    /// Never throws for vendor problems: the result says what is wrong.
    /// </summary>
    Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default);
}
