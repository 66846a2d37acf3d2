using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.OutboundWebhooks;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Csat;

/// <summary>
/// Sends the survey (a system message in the conversation, posted once under a fixed provider message id),
/// stores the answer once (publishing <c>csat.received</c> to outbound subscriptions), and pushes it to the
/// conversation's tickets as an internal note.
/// </summary>
internal sealed class CsatService(
    SqlCsatStore surveys, ConversationService conversations, IConnectorRegistry connectors, IRedactor redactor, IHubEventSink events,
    IOptionsMonitor<CsatOptions> options, ILogger<CsatService> logger)
{
    /// <summary>Marks the survey message in the conversation; the widget shows a rating form for it.</summary>
    public static string MessageId(string conversationId) => $"csat:{conversationId}";

    public async Task<bool> SendAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var survey = await surveys.GetAsync(conversationId, cancellationToken);
        if (survey is not { State: "scheduled" }) return false;
        // The fixed id makes a rerun after a crash between these two lines find the message instead of posting it again.
        await conversations.PostAsync(conversationId, MessageAuthor.System, options.CurrentValue.Question, providerMessageId: MessageId(conversationId),
            cancellationToken: cancellationToken);
        return await surveys.MarkSentAsync(conversationId, cancellationToken);
    }

    public async Task<CsatAnswerResult> AnswerAsync(string conversationId, int rating, string? comment, CancellationToken cancellationToken = default)
    {
        if (rating is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(rating), "rating must be 1 to 5");
        var survey = await surveys.GetAsync(conversationId, cancellationToken);
        if (survey is null || survey.State == "scheduled") return CsatAnswerResult.NotAsked;
        if (survey.State == "answered") return CsatAnswerResult.AlreadyAnswered;
        var text = string.IsNullOrWhiteSpace(comment) ? null : redactor.Redact(comment.Trim());
        if (!await surveys.AnswerAsync(conversationId, rating, text, cancellationToken)) return CsatAnswerResult.AlreadyAnswered;
        // Only the call that stored the answer publishes it, so subscribers hear of each answer once.
        var answered = await surveys.GetAsync(conversationId, cancellationToken);
        await events.PublishAsync(HubEventNames.CsatReceived, conversationId,
            new { rating, comment = text, botOnly = survey.BotOnly, survey.Channel, answeredAt = answered?.AnsweredAt }, cancellationToken);
        return CsatAnswerResult.Stored;
    }

    /// <summary>Writes the answer to every linked ticket. False when it must be tried again (no ticket yet, or a connector failed).</summary>
    public async Task<bool> PushAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var survey = await surveys.GetAsync(conversationId, cancellationToken);
        if (survey is not { State: "answered" } || survey.PushedAt is not null) return true;
        var conversation = await conversations.Store.GetConversationAsync(conversationId, cancellationToken);
        var tickets = conversation?.Tickets.Where(t => connectors.Find(t.ConnectorId) is ITicketSink).ToList() ?? [];
        if (tickets.Count == 0)
        {
            await surveys.MarkPushedAsync(conversationId, "no ticket linked yet", cancellationToken);
            return false;
        }
        var note = $"Customer satisfaction: {survey.Rating}/5" + (survey.Comment is { } comment ? $". Comment: {comment}" : "");
        try
        {
            foreach (var ticket in tickets)
                await connectors.Get<ITicketSink>(ticket.ConnectorId).AppendMessagesAsync(ticket,
                    [new TranscriptMessage(0, "system", "internal", note, survey.AnsweredAt ?? DateTimeOffset.UtcNow)], cancellationToken);
        }
        catch (ConnectorException e)
        {
            logger.LogWarning(e, "Could not push the CSAT answer of {ConversationId}", conversationId);
            await surveys.MarkPushedAsync(conversationId, e.Message, cancellationToken);
            return false;
        }
        await surveys.MarkPushedAsync(conversationId, null, cancellationToken);
        return true;
    }
}
