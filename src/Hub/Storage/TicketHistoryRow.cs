namespace IntegrationHub.Hub.Storage;

/// <summary>A linked ticket due for a history read, with its <c>ticket_history_cursors</c> state (none yet on the first read).</summary>
internal sealed class TicketHistoryRow
{
    public string ConnectorId { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    /// <summary>The conversation's mode when claimed (<c>closed</c> ones are read less often).</summary>
    public string Mode { get; set; } = "";
    public string? HistoryCursor { get; set; }
    /// <summary>Null before the first read.</summary>
    public DateTimeOffset? NextPollAt { get; set; }
    public long Failures { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? PolledAt { get; set; }
    /// <summary>The lease this node holds once claimed: every later write requires it unchanged.</summary>
    public DateTimeOffset LeaseUntil { get; set; }
}
