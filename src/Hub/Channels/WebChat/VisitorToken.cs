using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>What a visitor token asserts: who the visitor is, on which site, until when.</summary>
public sealed record VisitorToken(string ContactId, string VisitorId, string SiteId, IdentityStatus Identity, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
