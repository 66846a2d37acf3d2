namespace IntegrationHub.Connectors.Abstractions;

/// <summary>A change to a ticket's status and/or priority, in hub values.</summary>
/// <param name="Status">open | pending | solved | closed; null = unchanged.</param>
/// <param name="Priority">low | normal | high | urgent; null = unchanged.</param>
public sealed record TicketUpdate(string? Status = null, string? Priority = null);
