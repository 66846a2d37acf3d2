namespace IntegrationHub.Bot;

/// <summary>Retrieval tuning; the defaults suit help-centre content.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Weight of keyword (BM25) score against vector similarity when embeddings are configured.</summary>
    public double LexicalWeight { get; set; } = 0.5;

    /// <summary>Cosine similarity that counts as zero confidence (embedding models rarely go below ~0.5 for any text).</summary>
    public double EmbeddingSimilarityFloor { get; set; } = 0.5;

    /// <summary>Seconds allowed to embed a question before retrieval goes keyword-only.</summary>
    public double EmbeddingTimeoutSeconds { get; set; } = 3;
}
