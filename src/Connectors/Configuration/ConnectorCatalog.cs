using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Configuration;

/// <summary>The connector types this hub knows, by type id.</summary>
public sealed class ConnectorCatalog(IEnumerable<ConnectorManifest> manifests)
{
    readonly Dictionary<string, ConnectorManifest> byId = manifests.ToDictionary(m => m.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<ConnectorManifest> Manifests => byId.Values;

    public ConnectorManifest? Find(string typeId) => byId.GetValueOrDefault(typeId);
}
