namespace IntegrationHub.Webhooks.Inbound;

/// <summary>Inbound webhook settings (<c>Hub:Webhooks</c>).</summary>
public sealed class InboundWebhookOptions
{
    /// <summary>Signed deliveries whose signature time is further than this from now are refused as replays.</summary>
    public double ReplayWindowSeconds { get; set; } = 300;
}
