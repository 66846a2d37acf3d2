namespace IntegrationHub.Connectors.Abstractions;

/// <summary>One message of a conversation as connectors and the bot see it.</summary>
/// <param name="Sequence">Per-conversation, gap-free, starting at 1.</param>
/// <param name="Author">customer | bot | agent | system</param>
/// <param name="Visibility">public | internal</param>
public sealed record TranscriptMessage(
    long Sequence,
    string Author,
    string Visibility,
    string Body,
    DateTimeOffset CreatedAt,
    string? AuthorName = null,
    IReadOnlyList<AttachmentInfo>? Attachments = null);

/// <summary>Attachment metadata; the bytes stay in the hub and are fetched by <see cref="Url"/>.</summary>
public sealed record AttachmentInfo(string Id, string FileName, string ContentType, long SizeBytes, string? Url = null);
