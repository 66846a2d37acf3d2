namespace IntegrationHub.Hub.Sla;

/// <summary>What one firing of a timer did: warned, breached (this call, exactly once), the business seconds counted, and when it must fire next (null: never).</summary>
internal sealed record SlaFireResult(bool Warned, bool Breached, DateTimeOffset? NextFireAt, long BusinessSeconds = 0)
{
    public static readonly SlaFireResult Nothing = new(false, false, null);
}
