using IntegrationHub.Bot.Text;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>Retrieval tokens: normalised words, stop words dropped, Porter-stemmed.</summary>
internal static class RetrievalTerms
{
    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        foreach (var word in TextNormalizer.Words(text))
            if (!StopWords.Contains(word)) terms.Add(PorterStemmer.Stem(word));
        return terms;
    }
}
