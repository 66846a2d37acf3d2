namespace IntegrationHub.Connectors.Abstractions;

/// <summary>A ticket/case in a connector's system, stored on the conversation per connector instance.</summary>
public sealed record TicketReference(string ConnectorId, string ExternalId, string? Url = null);
