namespace IntegrationHub.Bot.Intents;

/// <summary>A trained intent model: features, weights, temperature and out-of-scope threshold.</summary>
/// <remarks>Immutable; <see cref="Classify"/> is thread-safe and allocation-light.</remarks>
internal sealed class IntentClassifier
{
    readonly IntentFeaturizer _featurizer;
    readonly SoftmaxModel _model;
    readonly int _oosClass; // -1 when no "oos" class was trained

    public IntentClassifier(IntentFeaturizer featurizer, SoftmaxModel model, IReadOnlyList<string> labels, double temperature, double oosThreshold)
    {
        _featurizer = featurizer;
        _model = model;
        Labels = labels;
        Temperature = temperature;
        OosThreshold = oosThreshold;
        _oosClass = labels.ToList().IndexOf(IntentExample.OutOfScope);
    }

    public IReadOnlyList<string> Labels { get; }
    public double Temperature { get; }
    public double OosThreshold { get; }

    public IntentPrediction Classify(string text, int top = 3) => Classify(text, top, OosThreshold);

    public IntentPrediction Classify(string text, int top, double oosThreshold)
    {
        var probabilities = Probabilities(text);
        if (probabilities is null) return IntentPrediction.None;
        var ranking = Rank(probabilities, top);
        if (ranking.Count == 0) return IntentPrediction.None;
        var best = ranking[0];
        // A trained "oos" class that beats every intent takes the verdict on its own.
        var oos = best.Probability < oosThreshold || (_oosClass >= 0 && probabilities[_oosClass] > best.Probability);
        return new IntentPrediction(oos ? null : best.Intent, best.Probability, oos, ranking);
    }

    /// <summary>Calibrated class probabilities (index = <see cref="Labels"/>), or null when no known feature occurs.</summary>
    public float[]? Probabilities(string text)
    {
        var x = _featurizer.Transform(text);
        if (x.Count == 0) return null;
        var logits = new float[_model.Classes];
        _model.Logits(x, logits);
        SoftmaxModel.Softmax(logits, (float)Temperature);
        return logits;
    }

    List<IntentScore> Rank(float[] probabilities, int top)
    {
        // Stable order: probability descending, then label ordinal, so equal scores never flip between nodes.
        var order = Enumerable.Range(0, probabilities.Length)
            .Where(c => c != _oosClass)
            .OrderByDescending(c => probabilities[c]).ThenBy(c => Labels[c], StringComparer.Ordinal)
            .Take(top);
        return order.Select(c => new IntentScore(Labels[c], probabilities[c])).ToList();
    }
}
