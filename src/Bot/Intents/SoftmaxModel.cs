using System.Numerics;

namespace IntegrationHub.Bot.Intents;

/// <summary>
/// Multinomial logistic regression over sparse features, trained by SGD with L2 regularisation.
/// </summary>
/// <remarks>
/// Weights are stored feature-major (one row of class weights per feature), so scoring touches only
/// the rows of the features present and every SIMD operation is element-wise across classes: the
/// result is bit-identical whatever the machine's vector width. Training is deterministic for a given
/// example order and seed. Immutable after training; <see cref="Logits"/> is thread-safe.
/// </remarks>
internal sealed class SoftmaxModel
{
    readonly float[] _weights; // [feature * classes + class]
    readonly float[] _bias;

    SoftmaxModel(int classes, float[] weights, float[] bias)
    {
        Classes = classes;
        _weights = weights;
        _bias = bias;
    }

    public int Classes { get; }

    public void Logits(SparseVector x, Span<float> logits)
    {
        _bias.CopyTo(logits);
        for (var k = 0; k < x.Count; k++)
            AddScaled(logits, _weights.AsSpan(x.Indices[k] * Classes, Classes), x.Values[k]);
    }

    public static SoftmaxModel Train(
        IReadOnlyList<SparseVector> features, IReadOnlyList<int> labels, int classes, int dimension,
        SoftmaxTrainingOptions options)
    {
        var weights = new float[(long)dimension * classes > int.MaxValue
            ? throw new InvalidOperationException("too many features × intents for one model")
            : dimension * classes];
        var bias = new float[classes];
        var logits = new float[classes];
        var gradient = new float[classes];
        var order = Enumerable.Range(0, features.Count).ToArray();
        var random = new SplitMix(options.Seed);
        double scale = 1; // W_true = scale * W_stored: L2 decay without touching every weight per step
        long step = 0;
        var lambda = options.L2;

        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var x = features[i];
                var eta = options.LearningRate / (1.0 + options.LearningRate * lambda * step++);

                // Forward pass with the current scale.
                bias.CopyTo(logits, 0);
                var s = (float)scale;
                for (var k = 0; k < x.Count; k++)
                    AddScaled(logits, weights.AsSpan(x.Indices[k] * classes, classes), x.Values[k] * s);
                Softmax(logits);
                for (var c = 0; c < classes; c++) gradient[c] = logits[c];
                gradient[labels[i]] -= 1f;

                scale *= 1.0 - eta * lambda;
                if (scale < 1e-6)
                {
                    for (var w = 0; w < weights.Length; w++) weights[w] *= (float)scale;
                    scale = 1;
                }
                var stepScale = (float)(-eta / scale);
                for (var k = 0; k < x.Count; k++)
                    AddScaled(weights.AsSpan(x.Indices[k] * classes, classes), gradient, x.Values[k] * stepScale);
                for (var c = 0; c < classes; c++) bias[c] -= (float)(eta * gradient[c]);
            }
        }
        if (scale != 1)
            for (var w = 0; w < weights.Length; w++) weights[w] *= (float)scale;
        return new SoftmaxModel(classes, weights, bias);
    }

    /// <summary>In-place softmax; returns nothing so callers can reuse buffers.</summary>
    public static void Softmax(Span<float> values, float temperature = 1f)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        double sum = 0;
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = (float)Math.Exp((values[c] - max) / temperature);
            sum += values[c];
        }
        for (var c = 0; c < values.Length; c++) values[c] = (float)(values[c] / sum);
    }

    // target += source * factor, element-wise.
    static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float factor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var f = new Vector<float>(factor);
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var t = new Vector<float>(target[i..]);
                var s = new Vector<float>(source[i..]);
                (t + s * f).CopyTo(target[i..]);
            }
        }
        for (; i < target.Length; i++) target[i] += source[i] * factor;
    }
}
