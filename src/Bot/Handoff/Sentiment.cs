namespace IntegrationHub.Bot.Handoff;

/// <summary>Sentiment of the customer's recent messages.</summary>
/// <param name="Label">positive | neutral | negative | frustrated (the values <c>HandoffPacket.Sentiment</c> uses).</param>
/// <param name="Score">-1 (very negative) to 1 (very positive).</param>
public sealed record Sentiment(string Label, double Score)
{
    public const string Positive = "positive", Neutral = "neutral", Negative = "negative", Frustrated = "frustrated";
}
