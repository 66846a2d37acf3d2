namespace IntegrationHub.Bot.Intents;

/// <summary>A feature vector: indices ascending, values L2-normalised by the featurizer.</summary>
internal readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public static readonly SparseVector Empty = new([], []);
    public int Count => Indices.Length;
}
