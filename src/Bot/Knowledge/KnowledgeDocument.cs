namespace IntegrationHub.Bot.Knowledge;

/// <summary>One page or article handed to the indexer, before chunking.</summary>
/// <param name="Id">Stable within its source (relative path, article id); re-indexing matches on it.</param>
/// <param name="ContentType"><c>text/markdown</c>, <c>text/html</c> or <c>text/plain</c>.</param>
/// <param name="Url">Link cited in answers; heading anchors are appended per chunk.</param>
public sealed record KnowledgeDocument(string Id, string Title, string Content, string ContentType, string? Url = null)
{
    public const string Markdown = "text/markdown";
    public const string Html = "text/html";
    public const string PlainText = "text/plain";
}
