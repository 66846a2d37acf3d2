namespace IntegrationHub.Hub.Csat;

/// <summary>The <c>Hub:Csat</c> section: the satisfaction survey sent after a conversation closes.</summary>
public sealed class CsatOptions
{
    /// <summary>Off unless an admin turns it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>Wait after the close before asking.</summary>
    public double DelaySeconds { get; set; } = 60;

    /// <summary>The question, shown in the conversation as a system message with a 1–5 rating form.</summary>
    public string Question { get; set; } = "How did we do? Please rate this conversation from 1 (poor) to 5 (excellent); a comment is welcome.";

    /// <summary>Attempts to push the answer to the ticket (it may not exist yet while the transcript sync retries).</summary>
    public int PushAttempts { get; set; } = 10;

    public double PushRetrySeconds { get; set; } = 30;
}
