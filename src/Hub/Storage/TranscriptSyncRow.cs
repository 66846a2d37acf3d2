using IntegrationHub.Hub.Jobs;

namespace IntegrationHub.Hub.Storage;

/// <summary>A <c>transcript_syncs</c> row as Dapper fills it (timestamps go through <see cref="DateTimeOffsetHandler"/>).</summary>
internal sealed class TranscriptSyncRow
{
    public string ConversationId { get; set; } = "";
    public string ConnectorId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string State { get; set; } = "";
    public long TargetVersion { get; set; }
    public long SyncedVersion { get; set; }
    public long Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public string? TicketId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public TranscriptSync ToSync() => new(ConversationId, ConnectorId, WorkspaceId, State, TargetVersion, SyncedVersion, Attempts,
        NextAttemptAt, LastError, TicketId, CreatedAt, UpdatedAt);
}
