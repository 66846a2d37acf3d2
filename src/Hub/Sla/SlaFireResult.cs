namespace IntegrationHub.Hub.Sla;

/// <summary>
/// What one firing of a timer did: warned, breached (this call, exactly once), the business seconds counted, when it
/// must fire next (null: never), the claim on the side effects of the warning or breach it recorded, and whether the
/// timer already owed side effects before it (left by a firing that died), which the caller then tries to take over.
/// </summary>
internal sealed record SlaFireResult(bool Warned, bool Breached, DateTimeOffset? NextFireAt, long BusinessSeconds = 0, IReadOnlyList<SlaActionClaim>? Claims = null,
    bool EarlierActionsOwed = false)
{
    public static readonly SlaFireResult Nothing = new(false, false, null);
}
