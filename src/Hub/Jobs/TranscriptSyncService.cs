using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Jobs;

/// <summary>
/// Writes a conversation's redacted transcript to one connector as a ticket (at a handoff and at the close), from
/// the persisted <c>transcript_syncs</c> row. Safe to run twice or after a crash at any point: the ticket is looked
/// up on the conversation first and the connector's create is idempotent per conversation id.
/// </summary>
/// <remarks>
/// One ticket per conversation and connector: on the connector a handoff was routed to, the helpdesk outbox
/// (<see cref="Helpdesk.TicketSyncWorker"/>) creates the ticket. Two creators racing could both find nothing and
/// both create, so here the sync waits for that ticket, then writes to it.
/// </remarks>
internal sealed class TranscriptSyncService(
    SqlTranscriptSyncStore syncs, SqlTicketSyncStore outbox, IConversationStore store, IConnectorRegistry connectors, IRedactor redactor,
    IOptionsMonitor<TranscriptSyncOptions> options, TimeProvider time, ILogger<TranscriptSyncService> logger)
{
    public async Task<TranscriptSyncOutcome> RunAsync(string conversationId, string connectorId, CancellationToken cancellationToken = default)
    {
        var sync = await syncs.GetAsync(conversationId, connectorId, cancellationToken);
        if (sync is null || sync.State is TranscriptSyncStates.Dead or TranscriptSyncStates.Cancelled) return TranscriptSyncOutcome.Nothing;
        if (sync.State == TranscriptSyncStates.Synced && sync.SyncedVersion >= sync.TargetVersion) return TranscriptSyncOutcome.Nothing;
        try
        {
            if (await HandoffTicketPendingAsync(sync, cancellationToken) is { } wait)
            {
                // Not a failure: the retry budget is kept for the vendor's errors.
                await syncs.MarkWaitingAsync(conversationId, connectorId, wait.Reason, wait.Until, cancellationToken);
                logger.LogInformation("Transcript sync of {ConversationId} to {ConnectorId} waits until {At:O}: {Reason}", conversationId, connectorId, wait.Until, wait.Reason);
                return TranscriptSyncOutcome.Wait(wait.Until);
            }
            await SyncAsync(sync, cancellationToken);
            await syncs.MarkSyncedAsync(conversationId, connectorId, sync.TargetVersion, cancellationToken);
            logger.LogInformation("Transcript of {ConversationId} synced to {ConnectorId} up to message {Version}", conversationId, connectorId, sync.TargetVersion);
            return TranscriptSyncOutcome.Synced;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var attempt = sync.Attempts + 1;
            var reason = e is ConnectorException or TranscriptSyncPermanentException or KeyNotFoundException or InvalidOperationException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (e is TranscriptSyncPermanentException || attempt >= settings.MaxAttempts)
            {
                await syncs.MarkFailedAsync(conversationId, connectorId, reason, null, cancellationToken);
                logger.LogError("Transcript sync of {ConversationId} to {ConnectorId} is a dead letter after {Attempts} attempt(s): {Reason}", conversationId, connectorId, attempt, reason);
                return TranscriptSyncOutcome.Dead;
            }
            var at = time.GetUtcNow() + Backoff(settings, attempt, (e as ConnectorException)?.RetryAfter);
            await syncs.MarkFailedAsync(conversationId, connectorId, reason, at, cancellationToken);
            logger.LogWarning("Transcript sync of {ConversationId} to {ConnectorId} failed (attempt {Attempt}), retrying at {At:O}: {Reason}", conversationId, connectorId, attempt, at, reason);
            return TranscriptSyncOutcome.Retry(at);
        }
    }

    /// <summary>Doubling from the first delay, capped; a vendor's Retry-After wins when it asks for longer.</summary>
    public static TimeSpan Backoff(TranscriptSyncOptions settings, long attempt, TimeSpan? retryAfter)
    {
        var seconds = Math.Min(settings.MaxRetrySeconds, settings.FirstRetrySeconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var delay = TimeSpan.FromSeconds(seconds);
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    /// <summary>
    /// When the conversation was handed off to this connector and the helpdesk outbox has not created the ticket yet:
    /// until when to wait, and why. A handoff whose outbox row never appeared (the node died between the two) is
    /// waited for <see cref="TranscriptSyncOptions.HandoffTicketGraceSeconds"/>, then the ticket is created here.
    /// </summary>
    async Task<(DateTimeOffset Until, string Reason)?> HandoffTicketPendingAsync(TranscriptSync sync, CancellationToken cancellationToken)
    {
        var conversation = await store.GetConversationAsync(sync.ConversationId, cancellationToken);
        if (conversation is null || conversation.Tickets.Any(t => t.ConnectorId == sync.ConnectorId)) return null;
        var now = time.GetUtcNow();
        // Look again soon, but not in a tight loop and not later than a first retry would.
        var soonest = now.AddSeconds(1);
        var latest = now.AddSeconds(Math.Max(1, options.CurrentValue.FirstRetrySeconds));
        DateTimeOffset Poll(DateTimeOffset at) => at < soonest ? soonest : at > latest ? latest : at;
        var row = (await outbox.ForConversationAsync(sync.ConversationId, cancellationToken)).FirstOrDefault(r => r.ConnectorId == sync.ConnectorId);
        if (row is not null)
        {
            if (row.ExternalId is not null) return null; // created and linked a moment ago
            // Right after the outbox's next attempt, which may well create it.
            return (Poll(row.NextAttemptAt.AddSeconds(1)), $"waiting for the handoff ticket (helpdesk outbox: {row.LastError ?? "not created yet"})");
        }
        var grace = TimeSpan.FromSeconds(options.CurrentValue.HandoffTicketGraceSeconds);
        var handoff = (await store.GetEventsAsync(sync.ConversationId, cancellationToken))
            .LastOrDefault(e => e.Kind == ConversationEventKinds.Handoff && RoutedTo(e) == sync.ConnectorId);
        if (handoff is null || handoff.CreatedAt + grace <= now) return null;
        return (Poll(handoff.CreatedAt + grace), "waiting for the handoff ticket (the handoff was just routed to this connector)");
    }

    /// <summary>The connector a handoff event was routed to (its <c>route.connectorId</c>), when humans could take it.</summary>
    static string? RoutedTo(ConversationEvent handoff)
    {
        using var data = System.Text.Json.JsonDocument.Parse(handoff.Data);
        return data.RootElement.TryGetProperty("route", out var route) && route.ValueKind == System.Text.Json.JsonValueKind.Object &&
               route.TryGetProperty("connectorId", out var id) ? id.GetString() : null;
    }

    async Task SyncAsync(TranscriptSync sync, CancellationToken cancellationToken)
    {
        var conversation = await store.GetConversationAsync(sync.ConversationId, cancellationToken)
            ?? throw new TranscriptSyncPermanentException($"conversation '{sync.ConversationId}' no longer exists");
        var sink = connectors.Get<ITicketSink>(sync.ConnectorId);
        var transcript = await TranscriptAsync(sync, cancellationToken);
        var ticket = conversation.Tickets.FirstOrDefault(t => t.ConnectorId == sync.ConnectorId);
        if (ticket is null)
        {
            var contact = await store.GetContactAsync(conversation.ContactId, cancellationToken)
                ?? throw new TranscriptSyncPermanentException($"contact '{conversation.ContactId}' no longer exists");
            var contactInfo = new ContactInfo(contact.Id, contact.Name, contact.Emails, contact.Phones, contact.IdentityStatus.ToText(), contact.ExternalIds);
            var requester = await RequesterAsync(sync.ConnectorId, contact, contactInfo, cancellationToken);
            var packet = new HandoffPacket
            {
                ConversationId = conversation.Id,
                Channel = conversation.Channel,
                Contact = contactInfo,
                Transcript = transcript,
                Intent = conversation.Intent,
                Priority = conversation.Priority,
                Queue = conversation.Queue,
                Reason = conversation.Mode == ConversationMode.Closed ? "conversation closed (transcript sync)" : "handed off to a person (transcript sync)",
            };
            // Idempotent per conversation id: after a crash between this call and the link below, the rerun gets the same ticket.
            ticket = await sink.CreateTicketAsync(packet, requester, cancellationToken);
            await store.LinkTicketAsync(conversation.Id, ticket, cancellationToken);
            await syncs.SetTicketAsync(sync.ConversationId, sync.ConnectorId, ticket.ExternalId, cancellationToken);
            return; // the new ticket's description carries the whole transcript
        }
        if (sync.TicketId != ticket.ExternalId) await syncs.SetTicketAsync(sync.ConversationId, sync.ConnectorId, ticket.ExternalId, cancellationToken);
        // Still open on the handoff's own connector: the ticket was created from the handoff packet (the transcript so far)
        // and the outbox appends the customer's later messages, so there is nothing to add until the close.
        if (conversation.Mode != ConversationMode.Closed &&
            (await outbox.ForConversationAsync(conversation.Id, cancellationToken)).Any(r => r.ConnectorId == sync.ConnectorId && r.ExternalId == ticket.ExternalId))
            return;
        // The ticket exists (the handoff's, or this connector's from an earlier sync): add the complete transcript to it.
        await sink.AttachTranscriptAsync(ticket, TranscriptFile.FromMessages(conversation.Id, transcript), cancellationToken);
    }

    async Task<IReadOnlyList<TranscriptMessage>> TranscriptAsync(TranscriptSync sync, CancellationToken cancellationToken)
    {
        var result = new List<TranscriptMessage>();
        long after = 0;
        while (after < sync.TargetVersion)
        {
            var page = await store.GetMessagesAsync(sync.ConversationId, after, 500, cancellationToken);
            if (page.Count == 0) break;
            // Customer text is redacted on arrival; agent and bot text is redacted here, before it leaves the hub.
            result.AddRange(page.Where(m => m.Sequence <= sync.TargetVersion).Select(m => m.ToTranscript() with { Body = redactor.Redact(m.Body) }));
            after = page[^1].Sequence;
        }
        return result;
    }

    async Task<ContactReference> RequesterAsync(string connectorId, Contact contact, ContactInfo info, CancellationToken cancellationToken)
    {
        if (contact.ExternalIds.TryGetValue(connectorId, out var known))
            return new ContactReference(connectorId, known, info.Email, info.Phone, info.Name);
        if (connectors.Find(connectorId) is not IContactDirectory directory)
            throw new TranscriptSyncPermanentException($"connector '{connectorId}' cannot look up contacts and the contact has no id there");
        if (info.Email is null && info.Phone is null)
            throw new TranscriptSyncPermanentException($"contact '{contact.Id}' has no email or phone to create a requester in '{connectorId}'");
        var requester = await directory.FindOrCreateContactAsync(info, cancellationToken);
        // Another hub contact (e.g. the same email from another browser) may already hold this vendor id. Remembering it
        // only saves a lookup next time: the transcript goes on either way.
        if (!await store.SetContactExternalIdAsync(contact.Id, connectorId, requester.ExternalId, cancellationToken))
            logger.LogInformation("Contact {ContactId} is {ExternalId} in {ConnectorId}, which another contact already holds; not remembered", contact.Id, requester.ExternalId, connectorId);
        return requester;
    }
}
