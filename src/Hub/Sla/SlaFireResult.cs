namespace IntegrationHub.Hub.Sla;

/// <summary>What one firing of a timer did: warned, breached (this call, exactly once), and when it must fire next (null: never).</summary>
internal sealed record SlaFireResult(bool Warned, bool Breached, DateTimeOffset? NextFireAt)
{
    public static readonly SlaFireResult Nothing = new(false, false, null);
}
