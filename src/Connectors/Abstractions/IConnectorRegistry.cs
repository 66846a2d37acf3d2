using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Connectors.Abstractions;

/// <summary>The connector instances built from <c>connectors.json</c>, asked by capability.</summary>
/// <remarks>
/// Singleton; instances are built once per configuration snapshot and shared (each owns its rate
/// limiter and circuit breaker). <see cref="Reload"/> swaps the snapshot atomically.
/// </remarks>
public interface IConnectorRegistry
{
    /// <summary>All enabled instances.</summary>
    IReadOnlyList<IConnector> All { get; }

    /// <summary>All enabled instances that implement capability <typeparamref name="T"/> (e.g. <see cref="ITicketSink"/>).</summary>
    IReadOnlyList<T> With<T>() where T : class;

    /// <summary>An enabled instance by id, or null.</summary>
    IConnector? Find(string connectorId);

    /// <summary>An enabled instance by id with capability <typeparamref name="T"/>; throws naming the connector when it lacks it.</summary>
    T Get<T>(string connectorId) where T : class;

    /// <summary>Builds an instance for a configuration that is not (yet) enabled, e.g. the admin's "test connection".</summary>
    IConnector Create(ConnectorConfig config);

    /// <summary>Replaces the configuration snapshot (e.g. after connectors.json changed).</summary>
    void Reload(ConnectorsConfiguration configuration);
}
