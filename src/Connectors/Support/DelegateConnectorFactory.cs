using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Connectors.Support;

/// <summary>A connector type's factory: its manifest plus a constructor.</summary>
internal sealed class DelegateConnectorFactory(ConnectorManifest manifest, Func<ConnectorConfig, IConnector> create) : IConnectorFactory
{
    public ConnectorManifest Manifest => manifest;

    public IConnector Create(ConnectorConfig config)
    {
        if (config.Type != manifest.Id)
            throw new ArgumentException($"connector '{config.Id}' has type '{config.Type}', not '{manifest.Id}'", nameof(config));
        return create(config);
    }
}
