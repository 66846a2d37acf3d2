namespace IntegrationHub.Bot.Intents;

/// <summary>Hyper-parameters of the intent model, chosen on a validation split carved from HWU64's train split.</summary>
internal sealed record SoftmaxTrainingOptions
{
    public int Epochs { get; init; } = 15;
    public double LearningRate { get; init; } = 0.5;
    public double L2 { get; init; } = 1e-5;
    public ulong Seed { get; init; } = 20260101;
}
