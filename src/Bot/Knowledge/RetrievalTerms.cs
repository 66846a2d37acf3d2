using IntegrationHub.Bot.Text;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>Retrieval tokens: normalised words, stop words dropped, Porter-stemmed.</summary>
internal static class RetrievalTerms
{
    // Words that frame a question ("how long", "how much") rather than name its topic: they help
    // ranking but say nothing about whether a passage covers the topic, so confidence ignores them.
    static readonly HashSet<string> Frame = new(StringComparer.Ordinal) { "long", "much", "mani", "often", "soon", "far", "old", "big" };

    public static bool IsFrame(string term) => Frame.Contains(term);

    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        foreach (var word in TextNormalizer.Words(text))
            if (!StopWords.Contains(word)) terms.Add(PorterStemmer.Stem(word));
        return terms;
    }
}
