using System.Text.RegularExpressions;
using IntegrationHub.Bot.Handoff;
using IntegrationHub.Bot.Text;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Drafts;

/// <summary>
/// The retrieval query for an agent draft: what the customer asked, without the plea for a human,
/// greetings, thanks and chasers that follow a handoff ("I want to talk to a person", "hello?? anyone
/// there?"). Those words match no article, yet they count against retrieval confidence, so left in they
/// turn a covered question into a holding reply.
/// </summary>
internal static partial class DraftQuery
{
    // Words that carry no topic in a customer's message to a helpdesk; stop words are dropped as well.
    static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "hey", "hiya", "yes", "yeah", "yep", "no", "nope", "anyone", "anybody", "still", "waiting", "wait", "sorry",
        "urgent", "urgently", "asap", "now", "right", "help", "cheers", "bye", "goodbye", "morning", "afternoon",
        "evening", "fine", "sure", "alright", "great", "hmm", "um", "uh", "didnt", "work", "worked", "answer",
    };

    const int MaxMessages = 3;

    /// <summary>
    /// The query for a draft over a transcript (by sequence): what the customer asked since the last public agent reply,
    /// at most the last three messages that ask something; when none does, the last customer message that does.
    /// Empty when the customer asked nothing.
    /// </summary>
    public static string For(IReadOnlyList<TranscriptMessage> transcript)
    {
        var lastAgent = -1;
        for (var i = 0; i < transcript.Count; i++)
            if (transcript[i] is { Author: "agent", Visibility: "public" }) lastAgent = i;
        var asked = new List<(int Index, string Text)>();
        for (var i = 0; i < transcript.Count; i++)
        {
            if (transcript[i].Author != "customer" || (i > 0 && AsksForContactDetails(transcript[i - 1]))) continue;
            if (Topical(transcript[i].Body) is { Length: > 0 } text) asked.Add((i, text));
        }
        var open = asked.Where(a => a.Index > lastAgent).ToList();
        return string.Join(' ', (open.Count > 0 ? open.TakeLast(MaxMessages) : asked.TakeLast(1)).Select(a => a.Text));
    }

    // The reply to the bot's "what's your name?" is a name, not a question (e-mail addresses are dropped anyway).
    static bool AsksForContactDetails(TranscriptMessage message) =>
        message.Author == "bot" && ContactPrompts.Any(p => message.Body.Contains(p, StringComparison.OrdinalIgnoreCase));

    static readonly string[] ContactPrompts = [CustomerMessages.IntakePrompt("name"), CustomerMessages.IntakePrompt("email"), CustomerMessages.IntakePrompt("phone")];

    /// <summary>The topical part of one message: sentences that ask or state something, minus any request for a human.</summary>
    public static string Topical(string message)
    {
        var kept = new List<string>();
        // Contact details answer an intake question; they ask nothing (and their dots are no sentence ends).
        foreach (var sentence in SentenceBreak().Split(EmailAddress().Replace(message, " ")))
        {
            var words = TextNormalizer.Words(sentence);
            var content = words.Where(w => !StopWords.Contains(w) && !Filler.Contains(w) && !SentimentAnalyzer.IsSentimentWord(w)).ToList();
            if (HumanRequestDetector.IsRequest(sentence))
                content = content.Where(w => !HumanRequestDetector.IsRequestWord(w)).ToList();
            else if (content.Count > 0)
                content = words;
            if (content.Count > 0) kept.Add(string.Join(' ', content));
        }
        return string.Join(' ', kept);
    }

    [GeneratedRegex(@"[^\s@]+@[^\s@]+\.[^\s@]+")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"[.?!;,\n]+")]
    private static partial Regex SentenceBreak();
}
