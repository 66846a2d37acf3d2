using System.Text.RegularExpressions;
using IntegrationHub.Bot.Text;

namespace IntegrationHub.Bot.Handoff;

/// <summary>
/// Recognises a request for a human in any common phrasing ("agent", "real person", "let me talk
/// to someone"), tolerating one-letter typos in the key words.
/// </summary>
internal static partial class HumanRequestDetector
{
    // Words that mean "a human" on their own.
    static readonly string[] Strong = ["human", "agent", "representative", "operator", "advisor", "adviser", "humans", "agents", "representitive"];
    // Words that mean "a human" only after a contact verb ("someone stole my parcel" is not a request).
    static readonly string[] Weak = ["someone", "somebody", "person", "people", "staff", "manager", "supervisor", "employee", "colleague", "team", "support", "service"];
    static readonly string[] Verbs = ["talk", "speak", "chat", "connect", "transfer", "escalate", "reach", "contact", "call"];

    [GeneratedRegex(@"\b(real|live|actual|human)\s+(person|people|human|agent|being|support|chat)\b")]
    private static partial Regex RealPerson();

    [GeneratedRegex(@"\b(talk|speak|chat|connect|transfer|put|pass|escalate|reach|contact|get|want|need|give|call)\b(\s+\w+){0,4}?\s+(someone|somebody|person|people|staff|manager|supervisor|employee|colleague|team|customer service|support team|customer support)\b")]
    private static partial Regex VerbThenWeak();

    [GeneratedRegex(@"\b(not|no|dont|never)\s+(want\s+)?(an?\s+)?(human|agent|person)\b")]
    private static partial Regex Refusal();

    public static bool IsRequest(string message)
    {
        var words = TextNormalizer.Words(message).Select(Correct).ToList();
        if (words.Count == 0) return false;
        var text = string.Join(' ', words);
        if (Refusal().IsMatch(text)) return false;
        if (RealPerson().IsMatch(text) || VerbThenWeak().IsMatch(text)) return true;
        // A strong word counts when the message is short (a plea) or comes with a contact verb.
        var strong = words.Any(w => Strong.Contains(w));
        return strong && (words.Count <= 6 || words.Any(w => Verbs.Contains(w)));
    }

    // The vocabulary of a request ("talk to a real person"), beyond stop words: what is left of a request is its topic.
    static readonly HashSet<string> RequestWords = new(Strong.Concat(Weak).Concat(Verbs)
        .Concat(["real", "live", "actual", "being", "put", "pass", "give", "customer", "someone", "anyone"]), StringComparer.Ordinal);

    /// <summary>True for a word (typos tolerated) that only serves to ask for a human.</summary>
    public static bool IsRequestWord(string word) => RequestWords.Contains(Correct(word));

    static string Correct(string word)
    {
        if (word.Length < 5) return word;
        foreach (var candidate in Strong.Concat(Weak).Concat(Verbs))
            if (candidate.Length >= 5 && WithinOneEdit(word, candidate)) return candidate;
        return word;
    }

    /// <summary>True when one insertion, deletion, substitution or adjacent swap turns a into b.</summary>
    internal static bool WithinOneEdit(string a, string b)
    {
        if (a == b) return true;
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (a.Length == b.Length)
        {
            if (a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))) return true; // substitution
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2)); // swap
        }
        return a.Length > b.Length ? a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i)) : a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1));
    }
}
