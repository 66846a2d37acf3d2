using IntegrationHub.Bot.Text;

namespace IntegrationHub.Bot.Intents;

/// <summary>
/// TF-IDF over word unigrams and bigrams plus character 2–5-grams inside word boundaries.
/// </summary>
/// <remarks>
/// Character n-grams are what make "pasword" and "password" neighbours, and paraphrases share
/// word pieces ("cancelled"/"cancellation"). Immutable after construction: safe to share across threads.
/// </remarks>
internal sealed class IntentFeaturizer
{
    const byte WordKind = 1, BigramKind = 2, CharKind = 3;
    const int MinChar = 2, MaxChar = 5;
    // Words and characters are normalised as separate blocks, then weighted, so long messages with
    // many n-grams do not drown the word evidence.
    const float WordWeight = 1.0f, CharWeight = 1.0f;

    readonly Dictionary<ulong, int> _index;
    readonly float[] _idf;
    readonly bool[] _isChar;

    IntentFeaturizer(Dictionary<ulong, int> index, float[] idf, bool[] isChar)
    {
        _index = index;
        _idf = idf;
        _isChar = isChar;
    }

    public int Dimension => _idf.Length;

    /// <summary>Builds the vocabulary and IDF from training texts.</summary>
    public static IntentFeaturizer Fit(IReadOnlyList<string> texts)
    {
        var documentFrequency = new Dictionary<ulong, (int Df, bool IsChar)>();
        var seen = new HashSet<ulong>();
        foreach (var text in texts)
        {
            seen.Clear();
            foreach (var (hash, isChar) in Extract(text))
                if (seen.Add(hash))
                    documentFrequency[hash] = documentFrequency.TryGetValue(hash, out var e) ? (e.Df + 1, isChar) : (1, isChar);
        }
        // Sorted hashes give the same feature indices whatever order the examples arrived in.
        var keys = documentFrequency.Keys.ToArray();
        Array.Sort(keys);
        var index = new Dictionary<ulong, int>(keys.Length);
        var idf = new float[keys.Length];
        var isCharFeature = new bool[keys.Length];
        var n = texts.Count;
        for (var i = 0; i < keys.Length; i++)
        {
            var (df, isChar) = documentFrequency[keys[i]];
            index[keys[i]] = i;
            idf[i] = (float)(Math.Log((1.0 + n) / (1.0 + df)) + 1.0);
            isCharFeature[i] = isChar;
        }
        return new IntentFeaturizer(index, idf, isCharFeature);
    }

    public SparseVector Transform(string text)
    {
        var counts = new Dictionary<int, int>();
        foreach (var (hash, _) in Extract(text))
            if (_index.TryGetValue(hash, out var i))
                counts[i] = counts.TryGetValue(i, out var c) ? c + 1 : 1;
        if (counts.Count == 0) return SparseVector.Empty;

        var indices = counts.Keys.ToArray();
        Array.Sort(indices);
        var values = new float[indices.Length];
        double wordNorm = 0, charNorm = 0;
        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];
            var v = (float)((1.0 + Math.Log(counts[i])) * _idf[i]);
            values[k] = v;
            if (_isChar[i]) charNorm += v * v; else wordNorm += v * v;
        }
        var wordScale = wordNorm > 0 ? WordWeight / Math.Sqrt(wordNorm) : 0;
        var charScale = charNorm > 0 ? CharWeight / Math.Sqrt(charNorm) : 0;
        double total = 0;
        for (var k = 0; k < indices.Length; k++)
        {
            values[k] = (float)(values[k] * (_isChar[indices[k]] ? charScale : wordScale));
            total += values[k] * values[k];
        }
        var norm = (float)(1.0 / Math.Sqrt(total));
        for (var k = 0; k < values.Length; k++) values[k] *= norm;
        return new SparseVector(indices, values);
    }

    static IEnumerable<(ulong Hash, bool IsChar)> Extract(string text)
    {
        var words = TextNormalizer.Words(text);
        for (var w = 0; w < words.Count; w++)
        {
            var word = words[w];
            yield return (Fnv.Hash(WordKind, word), false);
            if (w + 1 < words.Count) yield return (Fnv.Hash(BigramKind, word, words[w + 1]), false);
            var padded = $" {word} ";
            for (var n = MinChar; n <= MaxChar; n++)
                for (var start = 0; start + n <= padded.Length; start++)
                    yield return (Fnv.Hash(CharKind, padded.AsSpan(start, n)), true);
        }
    }
}
