namespace IntegrationHub.Hub.Sla;

/// <summary>Conversation events the SLA timers append.</summary>
public static class SlaEventKinds
{
    public const string Warning = "sla.warning";
    public const string Breached = "sla.breached";
}
