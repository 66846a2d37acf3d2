namespace IntegrationHub.Hub.Helpdesk;

/// <summary>How a request for an AI draft note ended.</summary>
internal enum AgentDraftNoteOutcome
{
    /// <summary>The note is on every linked ticket and recorded in the hub.</summary>
    Posted,
    ConversationNotFound,
    /// <summary>No builtin-bot connector is enabled, so nobody can write a draft.</summary>
    NoBot,
    /// <summary>The conversation has no helpdesk ticket (yet); the reason says which.</summary>
    NoTicket,
    /// <summary>The helpdesk refused or failed; see the connector error.</summary>
    VendorFailed,
}
