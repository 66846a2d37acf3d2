namespace IntegrationHub.Bot.Knowledge;

/// <summary>A document reduced to its title and sections.</summary>
internal sealed record ParsedDocument(string? Title, IReadOnlyList<Section> Sections);
