namespace IntegrationHub.Hub.Sla;

/// <summary>Which side effects a timer owes: the warning's (<c>sla.warning</c>) or the breach's (breach actions).</summary>
internal enum SlaActionKind
{
    Warning,
    Breach,
}
