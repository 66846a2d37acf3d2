using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Drafts;

/// <summary>A request for a reply draft for the agent handling a conversation in human mode.</summary>
/// <param name="Instructions">Optional hint from the agent ("offer a refund").</param>
public sealed record DraftRequest(
    string WorkspaceId,
    string ConversationId,
    IReadOnlyList<TranscriptMessage> Transcript,
    ContactInfo? Contact = null,
    string? Instructions = null);
