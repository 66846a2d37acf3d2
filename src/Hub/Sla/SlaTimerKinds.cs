namespace IntegrationHub.Hub.Sla;

/// <summary>The SLA targets a policy can set, as stored in <c>sla_timers.kind</c>.</summary>
public static class SlaTimerKinds
{
    public const string FirstResponse = "first_response";
    public const string NextResponse = "next_response";
    public const string Resolution = "resolution";
}
