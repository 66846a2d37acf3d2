namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Neutral kinds of helpdesk activity the hub reacts to.</summary>
public enum WebhookEventKind
{
    /// <summary>An agent replied publicly: deliver to the customer.</summary>
    AgentPublicReply,
    /// <summary>An internal note: never shown to the customer.</summary>
    InternalNote,
    /// <summary>The ticket's status changed.</summary>
    StatusChanged,
}
