using System.Text.RegularExpressions;
using IntegrationHub.Bot.Handoff;
using IntegrationHub.Bot.Text;

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

    /// <summary>The query for the customer messages a draft should answer (oldest first); empty when none asks anything.</summary>
    public static string Of(IEnumerable<string> customerMessages) =>
        string.Join(' ', customerMessages.Select(Topical).Where(t => t.Length > 0));

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
