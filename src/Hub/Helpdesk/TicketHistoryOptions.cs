namespace IntegrationHub.Hub.Helpdesk;

/// <summary>The <c>Hub:Helpdesk:History</c> section: how often tickets of helpdesks without webhooks are read.</summary>
public sealed class TicketHistoryOptions
{
    /// <summary>Seconds between two reads of an open conversation's ticket: the delay an agent's reply can take to reach the customer.</summary>
    public double IntervalSeconds { get; set; } = 5;

    /// <summary>Seconds between two reads of a closed conversation's ticket (only a reopen is expected there).</summary>
    public double ClosedIntervalSeconds { get; set; } = 60;

    /// <summary>How long after it closed a conversation's ticket is still read, so that reopening the ticket reopens the conversation.</summary>
    public double ClosedForHours { get; set; } = 72;

    /// <summary>Longest wait after failed reads (the wait doubles from <see cref="IntervalSeconds"/>; a vendor's Retry-After is honoured).</summary>
    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>Tickets read side by side by one node.</summary>
    public int Parallelism { get; set; } = 4;
}
