namespace IntegrationHub.FakeServers;

/// <summary>A vendor ticket in hub terms, for assertions shared by every vendor's conformance tests.</summary>
/// <param name="Status">open | pending | solved | closed (mapped from the vendor's value).</param>
/// <param name="Priority">low | normal | high | urgent (mapped from the vendor's value).</param>
public sealed record FakeTicket(
    string Id,
    string? ConversationId,
    string Subject,
    string Description,
    string Status,
    string Priority,
    string? RequesterId,
    string? Queue,
    IReadOnlyList<FakeComment> Comments,
    IReadOnlyList<string> AttachmentNames);

public sealed record FakeComment(string Body, bool Public);
