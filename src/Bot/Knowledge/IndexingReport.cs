namespace IntegrationHub.Bot.Knowledge;

/// <summary>What a re-index changed: documents added, updated, unchanged (same hash, skipped) and removed.</summary>
public sealed record IndexingReport(int Added, int Updated, int Unchanged, int Removed, int Chunks)
{
    public static readonly IndexingReport None = new(0, 0, 0, 0, 0);
    public IndexingReport Plus(IndexingReport other) =>
        new(Added + other.Added, Updated + other.Updated, Unchanged + other.Unchanged, Removed + other.Removed, Chunks + other.Chunks);
}
