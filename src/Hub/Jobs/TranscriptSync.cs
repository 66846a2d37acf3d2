namespace IntegrationHub.Hub.Jobs;

/// <summary>One conversation's transcript sync to one connector, as stored in <c>transcript_syncs</c>.</summary>
/// <param name="State">pending | synced | failed | dead</param>
/// <param name="TargetVersion">The conversation's last message sequence when the sync was requested.</param>
/// <param name="SyncedVersion">Messages up to this sequence are in the connector.</param>
public sealed record TranscriptSync(
    string ConversationId,
    string ConnectorId,
    string WorkspaceId,
    string State,
    long TargetVersion,
    long SyncedVersion,
    long Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    string? TicketId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
