namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Supplies help-centre articles for the bot's knowledge index.</summary>
/// <remarks>Articles stream page by page; the caller owns de-duplication by <see cref="KnowledgeArticle.Id"/>.</remarks>
public interface IKnowledgeSource
{
    /// <summary>Lists published articles, only those changed after <paramref name="changedSince"/> when given.</summary>
    IAsyncEnumerable<KnowledgeArticle> ListArticlesAsync(DateTimeOffset? changedSince = null, CancellationToken cancellationToken = default);
}
