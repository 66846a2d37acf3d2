namespace IntegrationHub.Hub.Storage;

/// <summary>A <c>webhook_deliveries</c> row: one event for one subscription, and how its attempts went.</summary>
internal sealed class WebhookDeliveryRow
{
    public long Id { get; set; }
    public string SubscriptionId { get; set; } = "";
    public string Event { get; set; } = "";
    public string Payload { get; set; } = "{}";
    public long Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? GaveUpAt { get; set; }
    public long? LastStatus { get; set; }
    public string? LastResponse { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
