namespace IntegrationHub.Hub.Storage;

/// <summary>A persisted inbound webhook event (<c>webhook_events</c>) waiting to be, or already, applied.</summary>
internal sealed class WebhookEventRow
{
    public string ConnectorId { get; set; } = "";
    public string VendorEventId { get; set; } = "";
    public long Ordinal { get; set; }
    public string ConversationId { get; set; } = "";
    /// <summary>agent_public_reply | internal_note | status_changed</summary>
    public string Kind { get; set; } = "";
    public string TicketExternalId { get; set; } = "";
    public string? Body { get; set; }
    public string? AuthorName { get; set; }
    public string? Status { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public long Attempts { get; set; }
    /// <summary>Why the last apply failed (only read for the admin view).</summary>
    public string? LastError { get; set; }

    /// <summary>The message key that makes applying the event twice store one message.</summary>
    public string ProviderMessageId => $"webhook:{ConnectorId}:{VendorEventId}:{Ordinal}";
}
