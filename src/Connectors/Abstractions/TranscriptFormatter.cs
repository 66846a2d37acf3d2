using System.Globalization;
using System.Net;
using System.Text;

namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Renders transcripts and handoff packets as text an agent can read in any helpdesk.</summary>
public static class TranscriptFormatter
{
    /// <summary>One line per message: <c>[2025-01-01 12:00 UTC] Customer (Jane): text</c>.</summary>
    public static string PlainText(IEnumerable<TranscriptMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var m in messages.OrderBy(m => m.Sequence))
            text.Append('[').Append(m.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC] ")
                .Append(Who(m)).Append(m.Visibility == "internal" ? " (internal)" : "").Append(": ").AppendLine(m.Body);
        return text.ToString();
    }

    /// <summary>The ticket description: structured fields first, then the transcript.</summary>
    public static string Description(HandoffPacket packet)
    {
        var text = new StringBuilder();
        if (packet.Summary is { } summary) text.AppendLine(summary).AppendLine();
        foreach (var (label, value) in Fields(packet)) text.Append(label).Append(": ").AppendLine(value);
        if (packet.BotAttempts.Count > 0)
        {
            text.AppendLine().AppendLine("Bot already tried:");
            foreach (var attempt in packet.BotAttempts) text.Append("- ").AppendLine(attempt);
        }
        text.AppendLine().AppendLine("Transcript:").Append(PlainText(packet.Transcript));
        return text.ToString();
    }

    /// <summary>The description as simple HTML for vendors whose bodies are HTML.</summary>
    public static string DescriptionHtml(HandoffPacket packet) =>
        string.Concat(Description(packet).Split('\n').Select(line => $"<p>{WebUtility.HtmlEncode(line.TrimEnd('\r'))}</p>"));

    public static string Subject(HandoffPacket packet)
    {
        var who = packet.Contact.Name ?? packet.Contact.Email ?? packet.Contact.Phone ?? "customer";
        return packet.Intent is { } intent ? $"Chat from {who}: {intent}" : $"Chat from {who}";
    }

    /// <summary>The structured fields every connector writes: intent, priority, channel, conversation link and more.</summary>
    public static IEnumerable<(string Label, string Value)> Fields(HandoffPacket packet)
    {
        if (packet.Intent is { } intent) yield return ("Intent", intent);
        if (packet.Confidence is { } confidence) yield return ("Confidence", confidence.ToString("0.00", CultureInfo.InvariantCulture));
        yield return ("Priority", packet.Priority);
        yield return ("Channel", packet.Channel);
        if (packet.ConversationUrl is { } url) yield return ("Conversation", url);
        yield return ("Conversation id", packet.ConversationId);
        if (packet.Sentiment is { } sentiment) yield return ("Sentiment", sentiment);
        if (packet.Language is { } language) yield return ("Language", language);
        if (packet.Reason is { } reason) yield return ("Handoff reason", reason);
        yield return ("Identity", packet.Contact.IdentityStatus);
        foreach (var (key, value) in packet.CollectedFields) yield return (key, value);
    }

    static string Who(TranscriptMessage m)
    {
        var role = m.Author switch { "customer" => "Customer", "bot" => "Bot", "agent" => "Agent", _ => "System" };
        return m.AuthorName is { } name ? $"{role} ({name})" : role;
    }
}
