namespace IntegrationHub.Hub.Jobs;

/// <summary>The <c>Hub:TranscriptSync</c> section: which connectors receive conversations' transcripts (at each handoff and at the close).</summary>
public sealed class TranscriptSyncOptions
{
    /// <summary>Connector ids (from connectors.json, with the ticket-sink capability) that receive every handed-off or closed conversation as a ticket.</summary>
    public List<string> Connectors { get; set; } = [];

    /// <summary>Attempts per connector before the sync lands in the dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubles per attempt (a vendor's longer Retry-After wins).</summary>
    public double FirstRetrySeconds { get; set; } = 30;

    /// <summary>Longest wait between two attempts.</summary>
    public double MaxRetrySeconds { get; set; } = 3600;

    /// <summary>How often every node checks for closed conversations without their sync (the close committed, the node died before booking it).</summary>
    public double SweepMinutes { get; set; } = 5;

    /// <summary>Wait after start before the first sweep (Quartz has started and recovered a dead node's jobs by then).</summary>
    public double SweepStartSeconds { get; set; } = 5;

    /// <summary>How far back the sweep looks: conversations closed longer ago are left alone (a newly listed connector gets this much history).</summary>
    public double SweepLookbackHours { get; set; } = 72;

    /// <summary>After a handoff to a transcript connector, how long to wait for the helpdesk outbox's ticket before creating it here.</summary>
    public double HandoffTicketGraceSeconds { get; set; } = 120;
}
