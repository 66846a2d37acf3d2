namespace IntegrationHub.Bot.Knowledge;

/// <summary>Passages for a question, best first, and the confidence of the best one.</summary>
/// <param name="Ambiguous">
/// The question does not say which of several sections it is about ("how long does it take?": refunds, delivery,
/// tracking): the best keyword passage has a rival from another section covering as much of the question and
/// scoring nearly as high. The bot then asks rather than pick one.
/// </param>
public sealed record RetrievalResult(IReadOnlyList<RetrievedPassage> Passages, bool Ambiguous = false)
{
    // A rival's keyword score within this share of the best one is a tie for the purpose of choosing an answer.
    const double TieScoreRatio = 0.85;
    const double TieConfidence = 0.02;

    public static readonly RetrievalResult Empty = new([]);
    public double Confidence => Passages.Count == 0 ? 0 : Passages[0].Confidence;

    /// <summary>True when the keyword ranking (BM25 scores, best first) cannot tell two sections apart.</summary>
    internal static bool IsTie(IReadOnlyList<RetrievedPassage> keywordRanking)
    {
        if (keywordRanking.Count < 2) return false;
        var best = keywordRanking[0];
        return keywordRanking.Skip(1).TakeWhile(p => p.Score >= TieScoreRatio * best.Score).Any(p =>
            p.Confidence >= best.Confidence - TieConfidence &&
            (p.Chunk.SourceId, p.Chunk.DocumentId, p.Chunk.Heading) != (best.Chunk.SourceId, best.Chunk.DocumentId, best.Chunk.Heading));
    }
}
