using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>An answer built only from retrieved passages, with the passages it cites.</summary>
internal sealed record GroundedAnswer(string Text, IReadOnlyList<Citation> Citations, string Engine);
