using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Sla;

namespace IntegrationHub.Hub.Conversations;

/// <summary>
/// Acts on new customer messages, one at a time per hub, in arrival order: hands bot-mode
/// conversations to the bot, and when no one can answer says so honestly and asks for contact details.
/// In queued or human mode the message goes to the ticket and the SLA clocks follow (waiting on the
/// customer ends; the next-response clock starts).
/// </summary>
internal sealed class ConversationAutomation(
    CustomerTurns turns, ConversationService conversations, ConnectorsConfigurationMonitor connectors, HubBot bot, BotTurnRunner botTurns,
    HelpdeskHandoff helpdesk, SlaTimerScheduler sla, ILogger<ConversationAutomation> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var turn in turns.Reader.ReadAllAsync(stoppingToken))
        {
            // Queued or human: the commit already marked the ticket as owing the message; only the worker needs waking.
            if (turn.TicketSyncDue) helpdesk.TicketSyncDue();
            try
            {
                if (turn.Mode is ConversationMode.Queued or ConversationMode.Human) await sla.CustomerWroteAsync(turn.ConversationId, turn.Mode, turn.SlaPaused, stoppingToken);
                else await ActAsync(turn.ConversationId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The message is stored; the customer can write again and the turn is redone.
                logger.LogError(e, "Could not act on conversation {ConversationId}", turn.ConversationId);
            }
        }
    }

    async Task ActAsync(string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await conversations.Store.GetConversationAsync(conversationId, cancellationToken);
        if (conversation is not { Mode: ConversationMode.Bot }) return;
        if (bot.Current is { } runtime)
            await botTurns.RunAsync(conversation, runtime, cancellationToken);
        else if (Availability.From(connectors).Offline)
            await GoOfflineAsync(conversation, cancellationToken);
    }

    /// <summary>Nobody can answer: say so once, and ask for an email to reply to.</summary>
    async Task GoOfflineAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var notice = OfflineNotice(conversation);
        // Queued first: whoever reads the notice (widget, API client) already finds the conversation waiting for contact details.
        await conversations.ChangeAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Queued), ConversationEventKinds.StatusChanged,
            new { from = "bot", to = "queued", reason = "no bot or agent available" }, notice, captureContact: true, cancellationToken);
        await conversations.PostAsync(conversation.Id, MessageAuthor.System, notice, cancellationToken: cancellationToken);
    }

    string OfflineNotice(Conversation conversation) =>
        connectors.Current.Find(conversation.ChannelInstance ?? "") is { Type: WebChatSites.Type } site
            ? site.Bind<WebChatSettings>().OfflineMessage
            : new WebChatSettings().OfflineMessage;
}
