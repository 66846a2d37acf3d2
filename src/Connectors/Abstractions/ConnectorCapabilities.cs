namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Capability names used in manifests; each maps to one small interface.</summary>
public static class ConnectorCapabilities
{
    public const string TicketSink = "ticket-sink";
    public const string ContactDirectory = "contact-directory";
    public const string KnowledgeSource = "knowledge-source";
    public const string WebhookReceiver = "webhook-receiver";
    /// <summary>Ticket activity read by polling (<see cref="ITicketHistorySource"/>), for helpdesks without webhooks.</summary>
    public const string TicketHistory = "ticket-history";
    public const string MessageChannel = "message-channel";
    public const string CallLauncher = "call-launcher";
    /// <summary>Answers customers: the built-in engine or an AI provider.</summary>
    public const string Bot = "bot";
}
