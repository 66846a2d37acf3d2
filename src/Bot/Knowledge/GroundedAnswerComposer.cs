using IntegrationHub.Bot.Text;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>
/// The built-in answer: the sentences of the best passage that bear on the question, quoted as
/// written, with its title and link. Below the threshold it returns null: the bot says it does not
/// know rather than guess.
/// </summary>
internal static class GroundedAnswerComposer
{
    const int ShortPassageWords = 70, MaxSentences = 3;

    public static GroundedAnswer? Compose(string question, RetrievalResult retrieval, double threshold)
    {
        if (retrieval.Passages.Count == 0 || retrieval.Confidence < threshold) return null;
        var best = retrieval.Passages[0];
        var text = Extract(question, best.Chunk.Text);
        var citation = ToCitation(best.Chunk);
        var source = citation.Url is { } url && url.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? $"{citation.Title} ({url})" : citation.Title;
        return new GroundedAnswer($"{text}\n\nSource: {source}", [citation], "builtin");
    }

    public static Citation ToCitation(KnowledgeChunk chunk) => new(chunk.CitationTitle, chunk.Url, chunk.Id);

    /// <summary>Short passages whole; long ones reduced to the sentences sharing most terms with the question, in their original order.</summary>
    internal static string Extract(string question, string passage)
    {
        var sentences = Sentences.Split(passage);
        if (passage.Split(' ').Length <= ShortPassageWords || sentences.Count <= MaxSentences) return passage.Trim();
        var terms = RetrievalTerms.Of(question).ToHashSet(StringComparer.Ordinal);
        var chosen = sentences
            .Select((s, i) => (Index: i, Overlap: RetrievalTerms.Of(s).Distinct().Count(terms.Contains)))
            .OrderByDescending(x => x.Overlap).ThenBy(x => x.Index)
            .Take(MaxSentences)
            .Where(x => x.Overlap > 0)
            .Select(x => x.Index)
            .ToList();
        if (chosen.Count == 0) chosen = [0, 1];
        // A chosen sentence keeps the one after it when it is the only one, so the answer is not a fragment.
        if (chosen.Count == 1 && chosen[0] + 1 < sentences.Count) chosen.Add(chosen[0] + 1);
        return string.Join(' ', chosen.Order().Select(i => sentences[i]));
    }
}
