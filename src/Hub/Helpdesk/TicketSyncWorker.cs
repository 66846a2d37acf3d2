using System.Text.Json;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Helpdesk;

/// <summary>
/// Carries out the helpdesk outbox: creates each handed-off conversation's ticket with its packet,
/// links it, then appends later customer messages as public comments in order. Failures are retried
/// with exponential backoff (honouring Retry-After) for as long as it takes; nothing is dropped.
/// </summary>
/// <remarks>
/// Creation is safe to repeat: connectors find the ticket of a conversation before creating one.
/// Comments are appended one at a time and <c>synced_seq</c> moves after each, so a crash can at
/// worst repeat the one comment in flight.
/// </remarks>
internal sealed class TicketSyncWorker(
    SqlTicketSyncStore outbox, IConversationStore store, ConversationService conversations, IConnectorRegistry registry,
    [FromKeyedServices(HelpdeskHandoff.TicketsSignal)] HelpdeskSignal signal, IOptions<HelpdeskOptions> options, ILogger<TicketSyncWorker> logger)
    : BackgroundService
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<TicketSyncRow> due = [];
            try
            {
                due = await outbox.ClaimDueAsync(Lease, 20, stoppingToken);
                foreach (var row in due) await ProcessAsync(row, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Helpdesk outbox pass failed; retrying at the next poll");
            }
            if (due.Count == 0) await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
        }
    }

    async Task ProcessAsync(TicketSyncRow row, CancellationToken cancellationToken)
    {
        try
        {
            var sink = registry.Get<ITicketSink>(row.ConnectorId);
            var ticket = row.ExternalId is null
                ? await CreateAsync(row, sink, cancellationToken)
                : (await store.GetConversationAsync(row.ConversationId, cancellationToken))?.Tickets.FirstOrDefault(t => t.ConnectorId == row.ConnectorId)
                  ?? new TicketReference(row.ConnectorId, row.ExternalId);
            await AppendAsync(row, sink, ticket, cancellationToken);
            await outbox.ReleaseAsync(row, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var delay = Backoff(row.Attempts + 1, (e as ConnectorException)?.RetryAfter);
            var reason = e is ConnectorException or MissingContactException or KeyNotFoundException or InvalidOperationException ? e.Message : e.GetType().Name + ": " + e.Message;
            logger.LogWarning("Helpdesk outbox: conversation {ConversationId} on connector {ConnectorId} failed (attempt {Attempt}), retrying in {Delay}: {Reason}",
                row.ConversationId, row.ConnectorId, row.Attempts + 1, delay, reason);
            await outbox.FailAsync(row, reason, delay, CancellationToken.None);
            if (row.ExternalId is null && await outbox.MarkDelayNotifiedAsync(row, CancellationToken.None))
            {
                // Told once: the customer is not left wondering why no one answers yet.
                var notice = e is MissingContactException ? HandoffNotice.NeedContact : HandoffNotice.Delayed;
                // The widget's email form is asked for before the notice that mentions it appears.
                if (e is MissingContactException)
                    await conversations.ChangeAsync(row.ConversationId, new ConversationUpdate(), ConversationEventKinds.StatusChanged,
                        new { reason = "contact details needed for the ticket" }, notice, captureContact: true, CancellationToken.None);
                await conversations.PostAsync(row.ConversationId, MessageAuthor.System, notice, cancellationToken: CancellationToken.None);
            }
        }
    }

    async Task<TicketReference> CreateAsync(TicketSyncRow row, ITicketSink sink, CancellationToken cancellationToken)
    {
        var packet = JsonSerializer.Deserialize<HandoffPacket>(row.Packet, Json)
            ?? throw new InvalidOperationException($"the stored handoff packet of conversation '{row.ConversationId}' is empty");
        var conversation = await store.GetConversationAsync(row.ConversationId, cancellationToken)
            ?? throw new ConversationNotFoundException(row.ConversationId);
        var contact = await store.GetContactAsync(conversation.ContactId, cancellationToken);
        // The stored contact may have learnt an email since the handoff (the customer left it after our notice).
        var info = contact is null ? packet.Contact : packet.Contact with
        {
            Name = contact.Name ?? packet.Contact.Name,
            Emails = contact.Emails.Count > 0 ? contact.Emails : packet.Contact.Emails,
            Phones = contact.Phones.Count > 0 ? contact.Phones : packet.Contact.Phones,
        };
        var requester = await RequesterAsync(row.ConnectorId, sink, contact, info, cancellationToken);
        var ticket = await sink.CreateTicketAsync(packet with { Contact = info }, requester, cancellationToken);
        await store.LinkTicketAsync(row.ConversationId, ticket, cancellationToken);
        await outbox.SetTicketAsync(row, ticket.ExternalId, cancellationToken);
        logger.LogInformation("Helpdesk outbox: conversation {ConversationId} has ticket {TicketId} on connector {ConnectorId} (route {Route})",
            row.ConversationId, ticket.ExternalId, row.ConnectorId, row.Route);
        if (row.DelayNotified == 1)
            await conversations.PostAsync(row.ConversationId, MessageAuthor.System,
                "Your conversation has now reached our support team; a member of the team will reply here.", cancellationToken: cancellationToken);
        return ticket;
    }

    async Task<ContactReference> RequesterAsync(string connectorId, ITicketSink sink, Contact? contact, ContactInfo info, CancellationToken cancellationToken)
    {
        if (sink is not IContactDirectory directory)
            return new ContactReference(connectorId, info.Id, info.Email, info.Phone, info.Name);
        if (contact?.ExternalIds.TryGetValue(connectorId, out var known) == true)
            return new ContactReference(connectorId, known, info.Email, info.Phone, info.Name);
        if (info.Email is null && info.Phone is null) throw new MissingContactException();
        var found = await directory.FindOrCreateContactAsync(info, cancellationToken);
        // A second hub contact of the same person (same email, another browser) finds the vendor user the first one
        // holds: the ticket still goes to that user, only the shortcut for next time is not stored.
        if (contact is not null && !await store.SetContactExternalIdAsync(contact.Id, connectorId, found.ExternalId, cancellationToken))
            logger.LogInformation("Helpdesk outbox: contact {ContactId} is {ExternalId} on connector {ConnectorId}, which another contact already holds; not remembered",
                contact.Id, found.ExternalId, connectorId);
        return found;
    }

    async Task AppendAsync(TicketSyncRow row, ITicketSink sink, TicketReference ticket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await store.GetMessagesAsync(row.ConversationId, row.SyncedSeq, 100, cancellationToken);
            if (batch.Count == 0) return;
            foreach (var message in batch)
            {
                // Only the customer's own public words: bot and hub notices are not the agent's business, and
                // agent replies came from the ticket (relaying them back would be an echo).
                if (message is { Author: MessageAuthor.Customer, Visibility: MessageVisibility.Public })
                    await sink.AppendMessagesAsync(ticket, [message.ToTranscript()], cancellationToken);
                await outbox.SetSyncedAsync(row, message.Sequence, cancellationToken);
            }
        }
    }

    TimeSpan Backoff(long attempt, TimeSpan? retryAfter)
    {
        var o = options.Value;
        var exponential = o.RetryBaseSeconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var seconds = Math.Min(o.RetryMaxSeconds, Math.Max(exponential, retryAfter?.TotalSeconds ?? 0));
        // Jitter, so many conversations queued during one outage do not all retry in the same instant.
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
