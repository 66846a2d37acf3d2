using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Webhooks.Inbound;

/// <summary>A parsed vendor event with the conversation its ticket belongs to.</summary>
/// <param name="Ordinal">Position in the delivery: one delivery (one vendor event id) may carry several events.</param>
public sealed record ResolvedWebhookEvent(WebhookEvent Event, int Ordinal, string ConversationId);
