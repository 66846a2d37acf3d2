namespace IntegrationHub.Connectors.Abstractions;

/// <summary>One article of a knowledge source; <see cref="Body"/> is HTML or Markdown as the source delivers it.</summary>
public sealed record KnowledgeArticle(string Id, string Title, string Body, string? Url, DateTimeOffset UpdatedAt, string? Language = null);
