namespace IntegrationHub.Hub.Sla;

/// <summary>The values of <c>sla_timers.state</c>.</summary>
public static class SlaTimerStates
{
    public const string Running = "running";
    /// <summary>Waiting on the customer: business time does not count.</summary>
    public const string Paused = "paused";
    public const string Met = "met";
    public const string Breached = "breached";
}
