using System.Text.Json;
using IntegrationHub.Bot;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Helpdesk;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// One bot turn of a bot-mode conversation: read the transcript and the stored bot state, show the bot
/// typing, ask the bot, post its reply and keep its new state; on handoff queue the conversation with
/// the handoff packet, and say honestly when no one can take over.
/// </summary>
internal sealed class BotTurnRunner(ConversationService conversations, ConnectorsConfigurationMonitor connectors, HelpdeskHandoff helpdesk, IOptions<HubOptions> options)
{
    /// <summary>Enough history for the bot and the packet; older messages stay in the store.</summary>
    const int TranscriptWindow = 1000;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync(Conversation conversation, BotRuntime bot, CancellationToken cancellationToken)
    {
        var store = conversations.Store;
        var messages = await store.GetMessagesAsync(conversation.Id, Math.Max(0, conversation.LastSequence - TranscriptWindow), TranscriptWindow, cancellationToken);
        // Several messages in a row are answered once: a later wake-up finds the bot's reply last and stops.
        if (messages.LastOrDefault(m => m.Visibility == MessageVisibility.Public) is not { Author: MessageAuthor.Customer } last) return;

        conversations.Typing(conversation.Id, MessageAuthor.Bot, true);
        try
        {
            await conversations.MarkReadAsync(conversation.Id, byCustomer: false, last.Sequence, cancellationToken);
            var contact = await store.GetContactAsync(conversation.ContactId, cancellationToken);
            var baseUrl = options.Value.PublicBaseUrl;
            var reply = await bot.Engine.ReplyAsync(new BotRequest
            {
                WorkspaceId = conversation.WorkspaceId,
                ConversationId = conversation.Id,
                Channel = conversation.Channel,
                Transcript = messages.Select(m => m.ToTranscript()).ToList(),
                State = ReadState(conversation.BotState),
                Contact = contact is null ? null : ToContactInfo(contact),
                Segments = contact?.Segments ?? [],
                ConversationUrl = string.IsNullOrWhiteSpace(baseUrl) ? null : $"{baseUrl.TrimEnd('/')}/api/admin/conversations/{conversation.Id}",
            }, cancellationToken);
            var state = JsonSerializer.Serialize(reply.State, Json);
            var body = BotReplyText.Format(reply, baseUrl);

            if (reply.Action == BotAction.Handoff)
            {
                await HandOffAsync(conversation, reply, body, state, messages[^1].Sequence, cancellationToken);
                return;
            }
            await conversations.PostAsync(conversation.Id, MessageAuthor.Bot, body, cancellationToken: cancellationToken);
            await conversations.ChangeAsync(conversation.Id, new ConversationUpdate(Intent: reply.Intent, BotState: state), ConversationEventKinds.BotTurn,
                new { action = reply.Action, reply.Intent, reply.Confidence, reply.Sentiment, reply.Engine, citations = BotReplyText.Links(reply.Citations, baseUrl) },
                cancellationToken: cancellationToken);
        }
        finally
        {
            conversations.Typing(conversation.Id, MessageAuthor.Bot, false);
        }
    }

    /// <param name="readSeq">The newest message the bot read: the packet carries the conversation up to it.</param>
    async Task HandOffAsync(Conversation conversation, BotReply reply, string body, string state, long readSeq, CancellationToken cancellationToken)
    {
        var packet = reply.Handoff;
        // Routing picks the ticketing connector, queue and priority; none means no human would ever see the ticket.
        var route = packet is null ? null : helpdesk.Route(packet);
        var humans = Availability.From(connectors).HumansAvailable && route is not null;
        // The bot promises that a person will reply; without a ticketing connector nobody would, so say so and ask for an email.
        var text = humans ? body : $"I'd like to pass you to a member of our team. {OfflineMessage(conversation)}";
        // Queued and the ticket booked in one commit, before anything is said: a crash can cost the goodbye, never the ticket.
        var ticket = humans ? await helpdesk.BookAsync(conversation.Id, packet!, route!, readSeq, cancellationToken) : null;
        var queued = await conversations.ChangeAsync(conversation.Id,
            new ConversationUpdate(Mode: ConversationMode.Queued, Intent: reply.Intent, Priority: route?.Priority ?? packet?.Priority, Queue: route?.Queue, BotState: state, Ticket: ticket),
            ConversationEventKinds.Handoff,
            new { reason = reply.HandoffReason, summary = packet?.Summary, humansAvailable = humans, route, packet },
            notice: humans ? null : text, captureContact: !humans, cancellationToken);
        await conversations.PostAsync(conversation.Id, MessageAuthor.Bot, text, cancellationToken: cancellationToken);
        if (humans) await helpdesk.AnnounceAsync(queued, packet!, route!, booked: ticket is not null, cancellationToken);
    }

    string OfflineMessage(Conversation conversation) =>
        connectors.Current.Find(conversation.ChannelInstance ?? "") is { Type: WebChatSites.Type } site
            ? site.Bind<WebChatSettings>().OfflineMessage
            : new WebChatSettings().OfflineMessage;

    static BotState ReadState(string? json)
    {
        if (string.IsNullOrEmpty(json)) return BotState.Initial;
        try
        {
            return JsonSerializer.Deserialize<BotState>(json, Json) ?? BotState.Initial;
        }
        catch (JsonException)
        {
            // A state written by an older bot is not worth failing the turn: start the ladder afresh.
            return BotState.Initial;
        }
    }

    static ContactInfo ToContactInfo(Contact contact) =>
        new(contact.Id, contact.Name, contact.Emails, contact.Phones, contact.IdentityStatus.ToText(), contact.ExternalIds);
}
