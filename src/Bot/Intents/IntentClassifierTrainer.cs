namespace IntegrationHub.Bot.Intents;

/// <summary>Trains, calibrates and sets the out-of-scope threshold of an <see cref="IntentClassifier"/>.</summary>
internal static class IntentClassifierTrainer
{
    /// <param name="train">Labelled examples; "oos" examples, if any, become a reject class.</param>
    /// <param name="validation">
    /// Optional held-out examples used for temperature and threshold. Without them a fifth of each
    /// intent's examples is held out for calibration and the final model is trained on everything.
    /// </param>
    /// <param name="defaultOosThreshold">Used when validation has no out-of-scope examples to tune on.</param>
    public static IntentClassifier Train(
        IReadOnlyList<IntentExample> train,
        IReadOnlyList<IntentExample>? validation = null,
        double defaultOosThreshold = 0.3,
        SoftmaxTrainingOptions? options = null)
    {
        options ??= new SoftmaxTrainingOptions();
        // Order-independent: the same examples in any order give the same model.
        var sorted = train
            .Where(e => !string.IsNullOrWhiteSpace(e.Text))
            .OrderBy(e => e.Intent, StringComparer.Ordinal).ThenBy(e => e.Text, StringComparer.Ordinal)
            .ToList();
        if (sorted.Select(e => e.Intent).Distinct().Count() < 1)
            throw new ArgumentException("at least one intent with examples is needed", nameof(train));

        List<IntentExample> calibration;
        if (validation is { Count: > 0 })
        {
            calibration = [.. validation];
            var model = Fit(sorted, options);
            return Calibrate(model, calibration, defaultOosThreshold);
        }

        // Hold out every fifth example of intents that have at least five, fit the temperature on them,
        // then train on everything with that temperature.
        var held = new List<IntentExample>();
        var rest = new List<IntentExample>();
        foreach (var group in sorted.GroupBy(e => e.Intent))
        {
            var items = group.ToList();
            for (var i = 0; i < items.Count; i++)
                (items.Count >= 5 && i % 5 == 4 ? held : rest).Add(items[i]);
        }
        if (held.Count == 0 || rest.Select(e => e.Intent).Distinct().Count() < 2)
            return Calibrate(Fit(sorted, options), [], defaultOosThreshold);
        var probe = Calibrate(Fit(rest, options), held, defaultOosThreshold);
        var final = Fit(sorted, options);
        return new IntentClassifier(final.Featurizer, final.Model, final.Labels, probe.Temperature, probe.OosThreshold);
    }

    sealed record Fitted(IntentFeaturizer Featurizer, SoftmaxModel Model, IReadOnlyList<string> Labels);

    static Fitted Fit(List<IntentExample> examples, SoftmaxTrainingOptions options)
    {
        var labels = examples.Select(e => e.Intent).Distinct().Order(StringComparer.Ordinal).ToList();
        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var featurizer = IntentFeaturizer.Fit(examples.Select(e => e.Text).ToList());
        var features = examples.Select(e => featurizer.Transform(e.Text)).ToList();
        var targets = examples.Select(e => labelIndex[e.Intent]).ToList();
        var model = SoftmaxModel.Train(features, targets, labels.Count, featurizer.Dimension, options);
        return new Fitted(featurizer, model, labels);
    }

    static IntentClassifier Calibrate(Fitted fitted, IReadOnlyList<IntentExample> calibration, double defaultOosThreshold)
    {
        var known = fitted.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);

        // Logits once; the grid search over temperatures only re-runs the softmax.
        var rows = new List<(float[] Logits, int Label)>();
        foreach (var example in calibration)
        {
            var x = fitted.Featurizer.Transform(example.Text);
            var logits = new float[fitted.Model.Classes];
            if (x.Count > 0) fitted.Model.Logits(x, logits);
            rows.Add((logits, known.TryGetValue(example.Intent, out var label) ? label : -1));
        }
        var temperature = FitTemperature(rows.Where(r => r.Label >= 0).ToList());
        var threshold = TuneThreshold(rows, temperature, fitted.Labels) ?? defaultOosThreshold;
        return new IntentClassifier(fitted.Featurizer, fitted.Model, fitted.Labels, temperature, threshold);
    }

    /// <summary>Temperature scaling (Guo et al. 2017): the T minimising held-out negative log-likelihood.</summary>
    static double FitTemperature(List<(float[] Logits, int Label)> rows)
    {
        if (rows.Count == 0) return 1.0;
        double bestT = 1, bestNll = double.MaxValue;
        var buffer = new float[rows[0].Logits.Length];
        for (var step = 0; step <= 60; step++)
        {
            var t = Math.Exp(Math.Log(0.05) + step * (Math.Log(5.0) - Math.Log(0.05)) / 60);
            double nll = 0;
            foreach (var (logits, label) in rows)
            {
                logits.CopyTo(buffer, 0);
                SoftmaxModel.Softmax(buffer, (float)t);
                nll -= Math.Log(Math.Max(buffer[label], 1e-12));
            }
            if (nll < bestNll) (bestNll, bestT) = (nll, t);
        }
        return bestT;
    }

    /// <summary>
    /// The confidence threshold that maximises accuracy over in-scope and out-of-scope validation
    /// examples together; null when validation has no out-of-scope examples to learn from.
    /// </summary>
    static double? TuneThreshold(List<(float[] Logits, int Label)> rows, double temperature, IReadOnlyList<string> labels)
    {
        var oosClass = labels.ToList().IndexOf(IntentExample.OutOfScope);
        if (!rows.Any(r => r.Label < 0 || r.Label == oosClass)) return null;
        var scored = new List<(double Confidence, bool CorrectIfAccepted, bool IsOos)>();
        var buffer = new float[labels.Count];
        foreach (var (logits, label) in rows)
        {
            logits.CopyTo(buffer, 0);
            SoftmaxModel.Softmax(buffer, (float)temperature);
            int best = -1;
            for (var c = 0; c < buffer.Length; c++)
                if (c != oosClass && (best < 0 || buffer[c] > buffer[best])) best = c;
            var isOos = label < 0 || label == oosClass;
            var predictedOosClass = oosClass >= 0 && buffer[oosClass] > buffer[best];
            // A message the trained oos class already rejects counts as rejected at any threshold.
            scored.Add((predictedOosClass ? -1 : buffer[best], !isOos && best == label, isOos));
        }
        // Candidate thresholds: midpoints of the sorted confidences; pick the best, lowest on ties.
        var confidences = scored.Select(s => s.Confidence).Where(c => c >= 0).Distinct().Order().ToList();
        double bestThreshold = 0, bestCorrect = -1;
        for (var i = 0; i <= confidences.Count; i++)
        {
            var threshold = i == 0 ? 0 : i == confidences.Count ? confidences[^1] + 1e-6 : (confidences[i - 1] + confidences[i]) / 2;
            var correct = 0;
            foreach (var (confidence, correctIfAccepted, isOos) in scored)
            {
                var accepted = confidence >= threshold;
                if (accepted ? correctIfAccepted : isOos) correct++;
            }
            if (correct > bestCorrect) (bestCorrect, bestThreshold) = (correct, threshold);
        }
        return Math.Min(bestThreshold, 0.99);
    }
}
