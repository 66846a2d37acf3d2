namespace IntegrationHub.Bot.Intents;

/// <summary>What the classifier made of one message.</summary>
/// <param name="Intent">Best intent, or null when the message is out of scope.</param>
/// <param name="Confidence">Calibrated probability of the best intent (0–1).</param>
/// <param name="OutOfScope">True when no intent is likely enough to act on.</param>
/// <param name="Ranking">Best intents first, with calibrated probabilities; ties broken by name.</param>
public sealed record IntentPrediction(string? Intent, double Confidence, bool OutOfScope, IReadOnlyList<IntentScore> Ranking)
{
    public static readonly IntentPrediction None = new(null, 0, true, []);
}

/// <summary>An intent and its calibrated probability.</summary>
public sealed record IntentScore(string Intent, double Probability);
