namespace IntegrationHub.Hub.Helpdesk;

/// <summary>The <c>Hub:Helpdesk</c> section: outbox retries and how often the helpdesk workers poll.</summary>
public sealed class HelpdeskOptions
{
    /// <summary>First retry delay after a failed vendor call; doubles per attempt.</summary>
    public double RetryBaseSeconds { get; set; } = 2;

    /// <summary>Longest delay between retries (a row is retried for ever, never dropped).</summary>
    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>How often the outbox and webhook workers look for due work besides being woken.</summary>
    public double PollSeconds { get; set; } = 1;
}
