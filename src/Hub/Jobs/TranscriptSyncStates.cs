namespace IntegrationHub.Hub.Jobs;

/// <summary>The values of <c>transcript_syncs.state</c>.</summary>
public static class TranscriptSyncStates
{
    public const string Pending = "pending";
    public const string Synced = "synced";
    public const string Failed = "failed";
    public const string Dead = "dead";
    /// <summary>Stopped by an admin; a retry re-arms it.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Synced, Failed, Dead, Cancelled];
}
