namespace IntegrationHub.Bot.Knowledge;

/// <summary>Passages for a question, best first, and the confidence of the best one.</summary>
public sealed record RetrievalResult(IReadOnlyList<RetrievedPassage> Passages)
{
    public static readonly RetrievalResult Empty = new([]);
    public double Confidence => Passages.Count == 0 ? 0 : Passages[0].Confidence;
}
