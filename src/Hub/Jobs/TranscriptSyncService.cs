using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Jobs;

/// <summary>
/// Writes a closed conversation's redacted transcript to one connector as a ticket, from the persisted
/// <c>transcript_syncs</c> row. Safe to run twice or after a crash at any point: the ticket is looked up
/// on the conversation first and the connector's create is idempotent per conversation id.
/// </summary>
internal sealed class TranscriptSyncService(
    SqlTranscriptSyncStore syncs, IConversationStore store, IConnectorRegistry connectors, IRedactor redactor,
    IOptionsMonitor<TranscriptSyncOptions> options, TimeProvider time, ILogger<TranscriptSyncService> logger)
{
    public async Task<TranscriptSyncOutcome> RunAsync(string conversationId, string connectorId, CancellationToken cancellationToken = default)
    {
        var sync = await syncs.GetAsync(conversationId, connectorId, cancellationToken);
        if (sync is null || sync.State is TranscriptSyncStates.Dead or TranscriptSyncStates.Cancelled) return TranscriptSyncOutcome.Nothing;
        if (sync.State == TranscriptSyncStates.Synced && sync.SyncedVersion >= sync.TargetVersion) return TranscriptSyncOutcome.Nothing;
        try
        {
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
                Reason = "conversation closed (transcript sync)",
            };
            // Idempotent per conversation id: after a crash between this call and the link below, the rerun gets the same ticket.
            ticket = await sink.CreateTicketAsync(packet, requester, cancellationToken);
            await store.LinkTicketAsync(conversation.Id, ticket, cancellationToken);
            await syncs.SetTicketAsync(sync.ConversationId, sync.ConnectorId, ticket.ExternalId, cancellationToken);
            return; // the new ticket's description carries the whole transcript
        }
        // The handoff ticket exists and has the conversation as comments: add the complete transcript to it.
        if (sync.TicketId != ticket.ExternalId) await syncs.SetTicketAsync(sync.ConversationId, sync.ConnectorId, ticket.ExternalId, cancellationToken);
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
        await store.SetContactExternalIdAsync(contact.Id, connectorId, requester.ExternalId, cancellationToken);
        return requester;
    }
}
