namespace IntegrationHub.Bot.Knowledge;

/// <summary>A hand-written question and answer; indexed as one chunk titled by the question.</summary>
public sealed record FaqEntry(string Id, string Question, string Answer, string? Url = null)
{
    /// <summary>The document the indexer stores for this entry: the question is the title.</summary>
    public KnowledgeDocument ToDocument() => new(Id, Question, Answer, KnowledgeDocument.PlainText, Url);
}
