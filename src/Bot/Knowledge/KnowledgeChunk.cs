namespace IntegrationHub.Bot.Knowledge;

/// <summary>One retrievable passage: a section of a document under one heading.</summary>
/// <param name="DocumentId">The <see cref="KnowledgeDocument.Id"/> it came from.</param>
/// <param name="Ordinal">Position within the document, from 0.</param>
/// <param name="Title">The document's title.</param>
/// <param name="Heading">Heading path inside the document ("Returns › Refund timing"); empty for the lead section.</param>
/// <param name="Text">Plain text of the section (already redacted).</param>
/// <param name="Url">Citation link, with the heading's anchor.</param>
/// <param name="ContentHash">Hash of the whole source document; unchanged hash means nothing to re-index.</param>
/// <param name="Embedding">Vector from the configured embedding generator, stored so nodes need not recompute; null without one.</param>
/// <remarks>Persisted by the hub; every field is needed to rebuild the same index on every node.</remarks>
public sealed record KnowledgeChunk(
    string WorkspaceId,
    string SourceId,
    string DocumentId,
    int Ordinal,
    string Title,
    string Heading,
    string Text,
    string? Url,
    string ContentHash,
    float[]? Embedding = null)
{
    /// <summary>Unique within the workspace: source, document and position.</summary>
    public string Id => $"{SourceId}/{DocumentId}#{Ordinal}";

    /// <summary>What a citation shows: the title, and the heading when there is one.</summary>
    public string CitationTitle => Heading.Length == 0 ? Title : $"{Title} › {Heading}";
}
