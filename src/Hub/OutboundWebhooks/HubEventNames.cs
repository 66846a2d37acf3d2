namespace IntegrationHub.Hub.OutboundWebhooks;

/// <summary>The hub events a subscription can ask for (payloads: README, "Outbound webhooks").</summary>
public static class HubEventNames
{
    public const string ConversationCreated = "conversation.created";
    public const string Handoff = "conversation.handoff";
    public const string MessageCreated = "message.created";
    public const string ConversationClosed = "conversation.closed";
    /// <summary>An SLA timer crossed its policy's warning threshold (once per timer, per next-response cycle).</summary>
    public const string SlaWarning = "sla.warning";
    /// <summary>An SLA timer breached and its policy lists the <c>webhook</c> breach action.</summary>
    public const string SlaBreach = "sla.breach";
    /// <summary>The customer answered the satisfaction survey (once per conversation).</summary>
    public const string CsatReceived = "csat.received";

    public static readonly IReadOnlyList<string> All = [ConversationCreated, Handoff, MessageCreated, ConversationClosed, SlaWarning, SlaBreach, CsatReceived];
}
