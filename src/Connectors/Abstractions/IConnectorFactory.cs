using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Builds instances of one connector type from validated <c>connectors.json</c> entries.</summary>
/// <remarks>Registered as a singleton per type by <c>AddConnectors()</c>; thread-safe.</remarks>
public interface IConnectorFactory
{
    ConnectorManifest Manifest { get; }

    /// <summary>Creates an instance. Secrets are resolved lazily, at call time, so rotation needs no rebuild.</summary>
    IConnector Create(ConnectorConfig config);
}
