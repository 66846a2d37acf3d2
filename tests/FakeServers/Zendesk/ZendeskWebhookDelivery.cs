namespace IntegrationHub.FakeServers.Zendesk;

/// <summary>One webhook delivery the Zendesk fake sent (or is sending): the exact body, and the answer once known.</summary>
public sealed class ZendeskWebhookDelivery(string eventId, string type, string ticketId, Uri endpoint, byte[] body)
{
    public string EventId { get; } = eventId;
    /// <summary>The Zendesk event type, e.g. <c>zen:event-type:ticket.comment_added</c>.</summary>
    public string Type { get; } = type;
    public string TicketId { get; } = ticketId;
    public Uri Endpoint { get; } = endpoint;
    public byte[] Body { get; } = body;
    /// <summary>The receiver's status code; null until answered (or when the request failed).</summary>
    public int? Status { get; internal set; }
    /// <summary>The receiver's answer, or why the request failed.</summary>
    public string? Response { get; internal set; }
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
