using IntegrationHub.Bot.Text;

namespace IntegrationHub.Bot.Handoff;

/// <summary>
/// Lexicon-based sentiment with negation, intensifiers, shouting and frustration phrases; offline
/// and deterministic. Two negative messages in a row count as frustration.
/// </summary>
internal static class SentimentAnalyzer
{
    static readonly Dictionary<string, double> Lexicon = new(StringComparer.Ordinal)
    {
        // negative
        ["bad"] = -0.5, ["terrible"] = -0.9, ["awful"] = -0.9, ["horrible"] = -0.9, ["worst"] = -1.0, ["useless"] = -0.9,
        ["angry"] = -0.8, ["annoyed"] = -0.7, ["annoying"] = -0.7, ["frustrated"] = -0.9, ["frustrating"] = -0.9,
        ["furious"] = -1.0, ["upset"] = -0.7, ["disappointed"] = -0.7, ["disappointing"] = -0.7, ["ridiculous"] = -0.9,
        ["unacceptable"] = -1.0, ["pathetic"] = -1.0, ["stupid"] = -0.9, ["hate"] = -0.9, ["scam"] = -1.0, ["fraud"] = -0.6,
        ["rubbish"] = -0.8, ["garbage"] = -0.9, ["joke"] = -0.5, ["incompetent"] = -1.0, ["sick"] = -0.4, ["tired"] = -0.4,
        ["wrong"] = -0.4, ["broken"] = -0.4, ["damaged"] = -0.3, ["late"] = -0.2, ["never"] = -0.2, ["nobody"] = -0.3,
        ["waste"] = -0.7, ["wasted"] = -0.7, ["sucks"] = -0.9, ["crap"] = -0.9, ["shit"] = -1.0, ["fuck"] = -1.0,
        ["fucking"] = -1.0, ["damn"] = -0.7, ["wtf"] = -1.0, ["unhappy"] = -0.7, ["poor"] = -0.5, ["lied"] = -0.8,
        ["liars"] = -1.0, ["lying"] = -0.8, ["worse"] = -0.7, ["fed"] = -0.3, ["sigh"] = -0.4, ["ugh"] = -0.6, ["again"] = -0.1,
        // positive
        ["good"] = 0.5, ["great"] = 0.8, ["thanks"] = 0.5, ["thank"] = 0.5, ["perfect"] = 0.9, ["awesome"] = 0.9,
        ["excellent"] = 0.9, ["love"] = 0.8, ["happy"] = 0.7, ["helpful"] = 0.7, ["amazing"] = 0.9, ["nice"] = 0.5,
        ["wonderful"] = 0.9, ["appreciate"] = 0.6, ["brilliant"] = 0.8, ["glad"] = 0.6, ["fantastic"] = 0.9, ["ok"] = 0.1,
    };

    static readonly string[] FrustrationPhrases =
    [
        "this is ridiculous", "not helpful", "not helping", "doesnt help", "you are useless", "youre useless", "waste of time",
        "wasting my time", "fed up", "sick of", "tired of", "had enough", "for the last time", "how many times",
        "i already told you", "i already said", "still not", "still no", "nobody is helping", "no one is helping",
        "not listening", "makes no sense", "this is a joke", "are you kidding", "what the hell", "stupid bot",
        "useless bot", "i give up", "worst service", "so annoying", "never again", "not what i asked",
    ];

    static readonly HashSet<string> Negators = new(StringComparer.Ordinal) { "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "cant", "cannot", "wont", "hardly" };
    static readonly HashSet<string> Intensifiers = new(StringComparer.Ordinal) { "very", "so", "really", "extremely", "totally", "completely", "absolutely", "incredibly", "super" };

    /// <summary>True for a word that carries feeling rather than topic ("ridiculous", "thanks").</summary>
    public static bool IsSentimentWord(string word) => Lexicon.ContainsKey(word);

    /// <summary>Scores the last customer message, escalating to frustrated when the one before was negative too.</summary>
    public static Sentiment Analyze(string latest, string? previous = null)
    {
        var current = Score(latest);
        var label = Label(current, latest);
        if (label == Sentiment.Negative && previous is not null && Label(Score(previous), previous) is Sentiment.Negative or Sentiment.Frustrated)
            label = Sentiment.Frustrated;
        return new Sentiment(label, Math.Round(current, 3));
    }

    static string Label(double score, string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        if (score <= -0.6 || FrustrationPhrases.Any(p => $" {normalized} ".Contains($" {p} ", StringComparison.Ordinal))) return Sentiment.Frustrated;
        if (score <= -0.25) return Sentiment.Negative;
        if (score >= 0.25) return Sentiment.Positive;
        return Sentiment.Neutral;
    }

    static double Score(string text)
    {
        var words = TextNormalizer.Words(text);
        if (words.Count == 0) return 0;
        double sum = 0;
        var hits = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (!Lexicon.TryGetValue(words[i], out var value)) continue;
            var negated = Enumerable.Range(Math.Max(0, i - 3), i - Math.Max(0, i - 3)).Any(j => Negators.Contains(words[j]));
            var intensified = i > 0 && Intensifiers.Contains(words[i - 1]);
            if (negated) value = value > 0 ? -value * 0.7 : -value * 0.3; // "not good" is bad; "not bad" is mildly good
            if (intensified) value *= 1.4;
            sum += value;
            hits++;
        }
        // Shouting and stacked punctuation are frustration signals on their own.
        var shouted = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Length >= 3 && w.Any(char.IsLetter) && w.Where(char.IsLetter).All(char.IsUpper));
        if (shouted >= 2) { sum -= 0.4 + 0.1 * Math.Min(shouted, 5); hits++; }
        if (text.Contains("!!", StringComparison.Ordinal) || text.Contains("?!", StringComparison.Ordinal) || text.Contains("!?", StringComparison.Ordinal))
        {
            sum -= hits > 0 && sum < 0 ? 0.4 : 0.1;
            hits++;
        }
        if (hits == 0) return 0;
        return Math.Clamp(sum / Math.Sqrt(hits), -1, 1);
    }
}
