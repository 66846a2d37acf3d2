namespace IntegrationHub.Connectors.Configuration;

/// <summary>The validated contents of <c>connectors.json</c>: an immutable snapshot.</summary>
public sealed record ConnectorsConfiguration(string Workspace, IReadOnlyList<ConnectorConfig> Connectors)
{
    public static ConnectorsConfiguration Empty { get; } = new("default", []);

    public IEnumerable<ConnectorConfig> Enabled => Connectors.Where(c => c.Enabled);

    public IEnumerable<ConnectorConfig> EnabledOfType(string type) => Enabled.Where(c => c.Type == type);

    public IEnumerable<ConnectorConfig> EnabledWith(string capability) =>
        Enabled.Where(c => c.Manifest.Capabilities.Contains(capability));

    public ConnectorConfig? Find(string id) => Connectors.FirstOrDefault(c => c.Id == id);
}
