namespace IntegrationHub.Connectors.HubSpot;

/// <summary>
/// A HubSpot ticket pipeline a hub queue is routed to. Stage ids are unique across pipelines and a ticket's stage
/// must belong to its pipeline, so each pipeline carries its own status → stage map.
/// </summary>
internal sealed class HubSpotPipelineOptions
{
    public string Pipeline { get; set; } = "";
    /// <summary>Hub status (open, pending, solved, closed) → stage id in <see cref="Pipeline"/>.</summary>
    public Dictionary<string, string> Stages { get; set; } = [];
}
