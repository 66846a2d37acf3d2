namespace IntegrationHub.Bot.Text;

/// <summary>English function words that carry no topic, dropped by knowledge retrieval only.</summary>
/// <remarks>The intent classifier keeps them: "what is" vs "set" is exactly what separates intents.</remarks>
internal static class StopWords
{
    static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
        "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on",
        "or", "our", "so", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was",
        "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your", "am",
        "im", "ive", "dont", "doesnt", "should", "there", "here", "any", "some", "just", "get", "got", "want", "need",
        "please", "hi", "hello", "thanks", "thank", "us", "he", "she", "his", "her", "than", "too", "very", "also",
        "s", "t", "possible", "way", "tell", "let", "okay", "ok",
    };

    public static bool Contains(string word) => Words.Contains(word);
}
