using System.Text;
using IntegrationHub.Bot.Drafts;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>
/// On an agent's request: the bot's reply draft for a conversation (from its transcript and the knowledge
/// sources), written to each linked helpdesk ticket as an internal note, never a public comment, then
/// recorded in the hub as an internal message and a <see cref="EventKind"/> event.
/// </summary>
/// <remarks>
/// A draft with no knowledge behind it is still posted, saying so: an agent who asked from the helpdesk
/// sees the answer where they are. The hub records the note only after a ticket has it, so a vendor failure
/// leaves the hub unchanged. The note comes back by webhook authored by the connector's API user, and the
/// connector drops it there (see the Zendesk webhook receiver), so it is never relayed as an agent's note.
/// </remarks>
internal sealed class AgentDraftNotes(HubBot bot, ConversationService conversations, SqlTicketSyncStore outbox, IConnectorRegistry connectors,
    TimeProvider time, ILogger<AgentDraftNotes> logger)
{
    public const string EventKind = "draft_note";
    /// <summary>The author name on the ticket note and on the hub's internal message.</summary>
    public const string AuthorName = "AI draft";
    const int TranscriptWindow = 1000;

    /// <param name="linkBase">Absolute base for the hub's own knowledge links (an agent opens them from the helpdesk).</param>
    public async Task<AgentDraftNoteResult> PostAsync(string conversationId, string? instructions, string linkBase, CancellationToken cancellationToken = default)
    {
        if (await conversations.Store.GetConversationAsync(conversationId, cancellationToken) is not { } conversation)
            return new(AgentDraftNoteOutcome.ConversationNotFound, $"conversation '{conversationId}' not found");
        if (bot.Current is not { } runtime)
            return new(AgentDraftNoteOutcome.NoBot, "no builtin-bot connector is enabled in connectors.json, so there is no bot to write a draft");
        var tickets = conversation.Tickets.Where(t => connectors.Find(t.ConnectorId) is ITicketSink).ToList();
        if (tickets.Count == 0)
            return new(AgentDraftNoteOutcome.NoTicket, await NoTicketReasonAsync(conversation, cancellationToken));

        var messages = await conversations.Store.GetMessagesAsync(conversationId, Math.Max(0, conversation.LastSequence - TranscriptWindow), TranscriptWindow, cancellationToken);
        var contact = await conversations.Store.GetContactAsync(conversation.ContactId, cancellationToken);
        var draft = await runtime.Engine.DraftAsync(new DraftRequest(conversation.WorkspaceId, conversationId, messages.Select(m => m.ToTranscript()).ToList(),
            contact is null ? null : new(contact.Id, contact.Name, contact.Emails, contact.Phones, contact.IdentityStatus.ToText(), contact.ExternalIds),
            instructions), cancellationToken);
        draft = draft with { Citations = BotReplyText.Links(draft.Citations, linkBase) };
        var body = NoteBody(draft);

        var posted = new List<TicketReference>();
        ConnectorException? failure = null;
        foreach (var ticket in tickets)
        {
            try
            {
                await connectors.Get<ITicketSink>(ticket.ConnectorId).AppendMessagesAsync(ticket,
                    [new TranscriptMessage(0, "bot", "internal", body, time.GetUtcNow(), AuthorName)], cancellationToken);
                posted.Add(ticket);
            }
            catch (ConnectorException e)
            {
                logger.LogWarning(e, "AI draft note for conversation {ConversationId} not written to ticket {TicketId} of {ConnectorId}",
                    conversationId, ticket.ExternalId, ticket.ConnectorId);
                failure = e;
                break;
            }
        }
        if (posted.Count == 0) return new(AgentDraftNoteOutcome.VendorFailed, failure!.Message, draft, posted, failure);

        // Recorded once a ticket has it: the hub's history says what the agents were shown.
        var message = await conversations.PostAsync(conversationId, MessageAuthor.Bot, body, MessageVisibility.Internal, AuthorName,
            $"draft-note:{Guid.NewGuid():N}", cancellationToken);
        await conversations.Store.AppendEventAsync(conversationId, EventKind, new
        {
            sequence = message.Sequence, draft.Grounded, draft.Engine, draft.Citations,
            tickets = posted.Select(t => new { t.ConnectorId, t.ExternalId }),
            failed = failure is null ? null : new { ticket = tickets[posted.Count].ExternalId, connector = failure.ConnectorId, error = failure.Message },
        }, cancellationToken);
        return failure is null
            ? new(AgentDraftNoteOutcome.Posted, null, draft, posted, null, message.Sequence)
            : new(AgentDraftNoteOutcome.VendorFailed, failure.Message, draft, posted, failure, message.Sequence);
    }

    /// <summary>Not handed off at all, or handed off with the ticket still on its way (and why).</summary>
    async Task<string> NoTicketReasonAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var pending = await outbox.ForConversationAsync(conversation.Id, cancellationToken);
        if (pending.FirstOrDefault(r => r.ExternalId is null) is { } row)
            return $"the helpdesk ticket on connector '{row.ConnectorId}' is not created yet" +
                (row.LastError is { } error ? $" (last attempt: {error})" : "") + "; ask again once it exists";
        return $"conversation '{conversation.Id}' has no helpdesk ticket: it was not handed off to a ticketing connector (mode: {conversation.Mode.ToText()})";
    }

    /// <summary>The note as agents read it: the draft, its sources, and the bot's remark when it found none.</summary>
    internal static string NoteBody(AgentDraft draft)
    {
        var text = new StringBuilder("Suggested reply, for review (the customer has not seen it):\n\n").Append(draft.Text.Trim()).Append("\n\n");
        if (draft.Citations.Count == 0) text.Append("Sources: none.");
        else
        {
            text.Append("Sources:");
            foreach (var citation in draft.Citations) text.Append("\n- ").Append(citation.Title).Append(citation.Url is { } url ? $": {url}" : "");
        }
        if (draft.Note is { Length: > 0 } note) text.Append("\n\n").Append(note);
        return text.ToString();
    }
}
