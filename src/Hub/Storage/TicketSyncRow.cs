namespace IntegrationHub.Hub.Storage;

/// <summary>A <c>ticket_sync</c> row: one conversation's ticket in one connector, and how far its messages are synced.</summary>
internal sealed class TicketSyncRow
{
    public string ConversationId { get; set; } = "";
    public string ConnectorId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string Route { get; set; } = "";
    public string? Queue { get; set; }
    /// <summary>The handoff packet as JSON.</summary>
    public string Packet { get; set; } = "{}";
    public string? ExternalId { get; set; }
    public long SyncedSeq { get; set; }
    public long WantedSeq { get; set; }
    public long Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public long DelayNotified { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? TicketCreatedAt { get; set; }
}
