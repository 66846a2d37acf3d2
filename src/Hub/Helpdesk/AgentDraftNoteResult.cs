using IntegrationHub.Bot.Drafts;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>What <see cref="AgentDraftNotes.PostAsync"/> did.</summary>
/// <param name="Reason">For everything but <see cref="AgentDraftNoteOutcome.Posted"/>: why, in words for the agent.</param>
/// <param name="Posted">Tickets that have the note (on a vendor failure: those done before it).</param>
/// <param name="Error">The connector failure, for <see cref="AgentDraftNoteOutcome.VendorFailed"/>.</param>
/// <param name="Sequence">The hub's internal message holding the draft, once recorded.</param>
internal sealed record AgentDraftNoteResult(
    AgentDraftNoteOutcome Outcome,
    string? Reason = null,
    AgentDraft? Draft = null,
    IReadOnlyList<TicketReference>? Posted = null,
    ConnectorException? Error = null,
    long? Sequence = null);
