namespace IntegrationHub.Hub.Sla;

/// <summary>The <c>Hub:Sla</c> section: how the side effects of warnings and breaches are finished after a crash.</summary>
public sealed class SlaOptions
{
    /// <summary>
    /// How long a node holds a warning's or breach's side effects while it runs them. Longer than a slow helpdesk call
    /// (another node would run them a second time), short enough that a crashed node's are taken over soon.
    /// </summary>
    public double ActionLeaseSeconds { get; set; } = 120;

    /// <summary>How often every node looks for side effects left owed by a crashed node (one indexed query when none are).</summary>
    public double SweepSeconds { get; set; } = 60;

    /// <summary>Wait after start before the first sweep.</summary>
    public double SweepStartSeconds { get; set; } = 5;
}
