namespace IntegrationHub.Connectors.Abstractions;

/// <summary>A person in a connector's system.</summary>
/// <param name="Created">True when this call created the record.</param>
public sealed record ContactReference(string ConnectorId, string ExternalId, string? Email = null, string? Phone = null, string? Name = null, bool Created = false);
