namespace IntegrationHub.Bot.Intents;

/// <summary>A workspace's intent definitions together with the classifier trained on them.</summary>
/// <remarks>Immutable; swapped as a whole when the definitions change.</remarks>
internal sealed class IntentModel
{
    public static readonly IntentModel Empty = new([], null);

    public IntentModel(IReadOnlyList<IntentDefinition> definitions, IntentClassifier? classifier)
    {
        Definitions = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        Classifier = classifier;
    }

    public IReadOnlyDictionary<string, IntentDefinition> Definitions { get; }
    public IntentClassifier? Classifier { get; }

    public IntentDefinition? Find(string? name) => name is not null && Definitions.TryGetValue(name, out var d) ? d : null;

    /// <summary>Trains on each intent's examples plus its display name; null classifier when there is nothing to learn.</summary>
    public static IntentModel Train(IReadOnlyList<IntentDefinition> definitions, double oosThreshold)
    {
        var examples = definitions
            .SelectMany(d => d.Examples.Append(d.DisplayName).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => new IntentExample(t, d.Name)))
            .ToList();
        if (examples.Select(e => e.Intent).Distinct().Count() < 2) return new IntentModel(definitions, null);
        return new IntentModel(definitions, IntentClassifierTrainer.Train(examples, null, oosThreshold));
    }
}
