using System.Runtime.InteropServices;
using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Hub.Storage;

/// <summary>A row of <c>knowledge_chunks</c>; the embedding is stored as little-endian float32 bytes.</summary>
internal sealed class KnowledgeChunkRow
{
    public string WorkspaceId { get; set; } = "";
    public string SourceId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public long Ordinal { get; set; }
    public string Title { get; set; } = "";
    public string Heading { get; set; } = "";
    public string Text { get; set; } = "";
    public string? Url { get; set; }
    public string ContentHash { get; set; } = "";
    public byte[]? Embedding { get; set; }

    public KnowledgeChunk ToChunk() => new(WorkspaceId, SourceId, DocumentId, (int)Ordinal, Title, Heading, Text, Url, ContentHash,
        Embedding is null ? null : MemoryMarshal.Cast<byte, float>(Embedding).ToArray());

    public static byte[]? Bytes(float[]? vector) => vector is null ? null : MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
}
