namespace IntegrationHub.Hub.Routing;

/// <summary>Where a handoff goes: the ticketing connector instance, queue and priority, and whether the queue is staffed now.</summary>
/// <param name="OpensAt">When the queue next opens (now when open; null when it has no hours or never opens).</param>
public sealed record HandoffRoute(string Name, string ConnectorId, string? Queue, string Priority, bool Open, DateTimeOffset? OpensAt);
