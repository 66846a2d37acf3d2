namespace IntegrationHub.Bot;

/// <summary>A choice offered to the customer (a button on rich channels, a numbered line on SMS).</summary>
/// <param name="Id">Intent name, <c>kb:</c>+chunk id for an article, or <see cref="Human"/>.</param>
/// <param name="Label">What the customer sees.</param>
public sealed record BotOption(string Id, string Label)
{
    public const string Human = "human";
}
