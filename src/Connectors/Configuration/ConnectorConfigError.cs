namespace IntegrationHub.Connectors.Configuration;

/// <summary>One problem in <c>connectors.json</c>, naming the connector and the field.</summary>
public sealed record ConnectorConfigError(string Connector, string Field, string Problem)
{
    public override string ToString() => $"connector '{Connector}': {Field}: {Problem}";
}

public sealed class ConnectorConfigurationException(IReadOnlyList<ConnectorConfigError> errors)
    : Exception("invalid connectors configuration:" + string.Concat(errors.Select(e => "\n  - " + e)))
{
    public IReadOnlyList<ConnectorConfigError> Errors { get; } = errors;
}
