namespace IntegrationHub.Hub.OutboundWebhooks;

/// <summary>The <c>Hub:OutboundWebhooks</c> section.</summary>
public sealed class OutboundWebhookOptions
{
    /// <summary>First retry delay; doubles per attempt up to <see cref="RetryMaxSeconds"/>.</summary>
    public double RetryBaseSeconds { get; set; } = 5;
    public double RetryMaxSeconds { get; set; } = 3600;
    /// <summary>Consecutive failed deliveries after which a subscription is disabled (with the reason).</summary>
    public int DisableAfterFailures { get; set; } = 10;
    public double TimeoutSeconds { get; set; } = 10;
    public double PollSeconds { get; set; } = 1;
}
