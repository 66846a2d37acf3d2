using System.Text;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Handoff;

/// <summary>Assembles the <see cref="HandoffPacket"/> every ticketing connector receives, with a short extractive summary.</summary>
internal static class HandoffPacketBuilder
{
    const int SummaryMax = 600;

    public static HandoffPacket Build(BotRequest request, BotState state, string reason, string? intent, double? confidence,
        Sentiment sentiment, IReadOnlyList<TranscriptMessage> transcript, bool vip)
    {
        var contact = request.Contact ?? new ContactInfo($"anonymous:{request.ConversationId}", null, [], [], "anonymous");
        // Details the customer typed during intake fill gaps in an anonymous contact.
        if (contact.Name is null && state.CollectedFields.TryGetValue("name", out var name)) contact = contact with { Name = name };
        if (contact.Emails.Count == 0 && state.CollectedFields.TryGetValue("email", out var email)) contact = contact with { Emails = [email] };
        if (contact.Phones.Count == 0 && state.CollectedFields.TryGetValue("phone", out var phone)) contact = contact with { Phones = [phone] };

        return new HandoffPacket
        {
            ConversationId = request.ConversationId,
            ConversationUrl = request.ConversationUrl,
            Channel = request.Channel,
            Contact = contact,
            Transcript = transcript,
            Intent = intent,
            Confidence = confidence is null ? null : Math.Round(confidence.Value, 4),
            Sentiment = sentiment.Label,
            Priority = vip || sentiment.Label == Sentiment.Frustrated ? "high" : "normal",
            Language = request.Language,
            Reason = reason,
            CollectedFields = new SortedDictionary<string, string>(state.CollectedFields.ToDictionary(), StringComparer.Ordinal),
            BotAttempts = state.Attempts,
            CitedArticles = state.Citations,
            Summary = Summarize(transcript, reason, intent, confidence, sentiment, state, contact.IdentityStatus),
        };
    }

    /// <summary>
    /// Extractive: the customer's opening request and latest message (their own words, trimmed),
    /// plus intent, fields, what the bot tried and why it handed off. No model needed.
    /// </summary>
    internal static string Summarize(IReadOnlyList<TranscriptMessage> transcript, string reason, string? intent, double? confidence,
        Sentiment sentiment, BotState state, string identityStatus)
    {
        var customer = transcript.Where(m => m.Author == "customer" && m.Body.Trim().Length > 0).ToList();
        var builder = new StringBuilder();
        builder.Append($"Customer ({identityStatus}, {sentiment.Label})");
        if (customer.Count > 0) builder.Append($" wrote: \"{Trim(customer[0].Body, 160)}\"");
        builder.Append('.');
        if (customer.Count > 1) builder.Append($" Latest: \"{Trim(customer[^1].Body, 120)}\".");
        if (intent is not null) builder.Append($" Intent: {intent}{(confidence is { } c ? $" ({c:0.00})" : "")}.");
        if (state.CollectedFields.Count > 0)
            builder.Append($" Details: {string.Join(", ", state.CollectedFields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={Trim(f.Value, 60)}"))}.");
        if (state.Attempts.Count > 0) builder.Append($" Bot tried: {string.Join("; ", state.Attempts.TakeLast(3))}.");
        builder.Append($" Handed off: {reason}.");
        return Trim(builder.ToString(), SummaryMax);
    }

    static string Trim(string text, int max)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)].TrimEnd() + "…";
    }
}
