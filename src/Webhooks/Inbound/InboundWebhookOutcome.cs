namespace IntegrationHub.Webhooks.Inbound;

/// <summary>How the pipeline answered a delivery.</summary>
/// <param name="Status">HTTP status to answer: 200 when persisted (or already known), 4xx otherwise.</param>
/// <param name="Reason">Why it was refused; safe to return and log (no secrets, no body).</param>
/// <param name="Accepted">Events stored now.</param>
/// <param name="Duplicates">Events that had been stored before (redeliveries).</param>
public sealed record InboundWebhookOutcome(int Status, string? Reason, int Accepted = 0, int Duplicates = 0)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
