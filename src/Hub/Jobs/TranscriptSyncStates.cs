namespace IntegrationHub.Hub.Jobs;

/// <summary>The values of <c>transcript_syncs.state</c>.</summary>
public static class TranscriptSyncStates
{
    public const string Pending = "pending";
    public const string Synced = "synced";
    public const string Failed = "failed";
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Synced, Failed, Dead];
}
