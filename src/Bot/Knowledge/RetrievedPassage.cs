namespace IntegrationHub.Bot.Knowledge;

/// <summary>A chunk that matched a question.</summary>
/// <param name="Score">Ranking score (comparable within one query only).</param>
/// <param name="Confidence">
/// 0–1: the share of the question's weighted terms (IDF) that this passage contains, blended with
/// vector similarity when embeddings are configured. Comparable across queries; the answer threshold applies to it.
/// </param>
public sealed record RetrievedPassage(KnowledgeChunk Chunk, double Score, double Confidence);
