namespace IntegrationHub.Hub.Jobs;

/// <summary>What one run of a transcript sync left to do: nothing, another attempt (or a wait) until <see cref="RetryAt"/>, or an admin's retry (dead letter).</summary>
internal sealed record TranscriptSyncOutcome(string State, DateTimeOffset? RetryAt = null)
{
    public static readonly TranscriptSyncOutcome Synced = new(TranscriptSyncStates.Synced);
    public static readonly TranscriptSyncOutcome Nothing = new("nothing");
    public static readonly TranscriptSyncOutcome Dead = new(TranscriptSyncStates.Dead);

    public static TranscriptSyncOutcome Retry(DateTimeOffset at) => new(TranscriptSyncStates.Failed, at);

    /// <summary>Waiting for the handoff ticket: pending, no attempt counted.</summary>
    public static TranscriptSyncOutcome Wait(DateTimeOffset at) => new(TranscriptSyncStates.Pending, at);
}
