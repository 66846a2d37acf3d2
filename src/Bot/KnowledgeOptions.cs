namespace IntegrationHub.Bot;

/// <summary>Retrieval tuning; the defaults suit help-centre content.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Weight of the keyword (BM25) ranking against the vector ranking in rank fusion, when embeddings are configured.</summary>
    public double LexicalWeight { get; set; } = 0.5;

    /// <summary>Cosine similarity that counts as zero confidence (many embedding models score unrelated texts around 0.5).</summary>
    public double EmbeddingSimilarityFloor { get; set; } = 0.6;

    /// <summary>Seconds allowed to embed a question before retrieval goes keyword-only.</summary>
    public double EmbeddingTimeoutSeconds { get; set; } = 3;
}
