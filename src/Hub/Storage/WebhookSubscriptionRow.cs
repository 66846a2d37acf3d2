namespace IntegrationHub.Hub.Storage;

/// <summary>A <c>webhook_subscriptions</c> row.</summary>
internal sealed class WebhookSubscriptionRow
{
    public string Id { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    /// <summary>JSON array of event names.</summary>
    public string Events { get; set; } = "[]";
    public long Enabled { get; set; }
    public string? DisabledReason { get; set; }
    public long ConsecutiveFailures { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
