using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Hub.Conversations;

/// <summary>An uploaded file and the conversation it belongs to.</summary>
public sealed record StoredAttachment(AttachmentInfo Info, string WorkspaceId, string ConversationId, string Sha256, DateTimeOffset CreatedAt);
