namespace IntegrationHub.Hub.Jobs;

/// <summary>The <c>Hub:TranscriptSync</c> section: which connectors receive closed conversations' transcripts.</summary>
public sealed class TranscriptSyncOptions
{
    /// <summary>Connector ids (from connectors.json, with the ticket-sink capability) that receive every closed conversation as a ticket.</summary>
    public List<string> Connectors { get; set; } = [];

    /// <summary>Attempts per connector before the sync lands in the dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubles per attempt (a vendor's longer Retry-After wins).</summary>
    public double FirstRetrySeconds { get; set; } = 30;

    /// <summary>Longest wait between two attempts.</summary>
    public double MaxRetrySeconds { get; set; } = 3600;
}
