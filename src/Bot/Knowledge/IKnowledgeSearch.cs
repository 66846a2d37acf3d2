namespace IntegrationHub.Bot.Knowledge;

/// <summary>Finds the passages of a workspace's knowledge that answer a question.</summary>
/// <remarks>
/// Deterministic: the same question over the same stored chunks returns the same passages in the
/// same order on every node. Used by the bot and by the designer's "preview" API.
/// </remarks>
public interface IKnowledgeSearch
{
    Task<RetrievalResult> SearchAsync(string workspaceId, string question, int top = 5, CancellationToken cancellationToken = default);
}
