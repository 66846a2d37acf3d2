using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Channels.WebChat;

// Request and response bodies of the web chat API (JSON, camelCase).

/// <param name="VisitorToken">A previous token (even expired, within 30 days) keeps the same visitor.</param>
public sealed record StartSessionRequest(string? SiteId, string? VisitorToken = null, VisitorIdentity? User = null);

/// <summary>Who the host page says the visitor is; <paramref name="UserHash"/> = hex HMAC-SHA256(site secret, externalId or email).</summary>
/// <param name="Segments">E.g. <c>vip</c>. Only with a userHash, which then covers them: HMAC of "externalId|seg1,seg2" (sorted, lowercase).</param>
public sealed record VisitorIdentity(string? ExternalId = null, string? Email = null, string? Name = null, string? UserHash = null, IReadOnlyList<string>? Segments = null);

public sealed record SessionResponse(
    string VisitorToken, string VisitorId, DateTimeOffset ExpiresAt, string Identity, SiteInfo Site, AvailabilityInfo Availability, ConversationResponse? Conversation);

public sealed record SiteInfo(string Id, string Title, string Greeting, string OfflineMessage, long MaxAttachmentBytes, IReadOnlyList<string> AttachmentTypes);

public sealed record AvailabilityInfo(bool BotEnabled, bool HumansAvailable, bool Offline);

public sealed record ConversationResponse(string Id, string Mode, long LastSequence, long CustomerReadSequence, long AgentReadSequence, DateTimeOffset CreatedAt, bool CaptureContact)
{
    public static ConversationResponse From(Conversation c, bool captureContact) =>
        new(c.Id, c.Mode.ToText(), c.LastSequence, c.CustomerReadSequence, c.AgentReadSequence, c.CreatedAt, captureContact);
}

/// <param name="ClientMessageId">Chosen by the widget; sending it again (a retry) never stores the message twice.</param>
public sealed record PostMessageRequest(string? Text, string? ClientMessageId = null, IReadOnlyList<string>? AttachmentIds = null);

/// <param name="Survey">The hub's satisfaction survey: the widget shows a 1–5 rating form under it.</param>
public sealed record MessageResponse(long Sequence, string Author, string? AuthorName, string Body, IReadOnlyList<AttachmentInfo> Attachments, DateTimeOffset CreatedAt, string? ClientMessageId,
    bool Survey = false)
{
    public static MessageResponse From(Message m) =>
        new(m.Sequence, m.Author.ToText(), m.AuthorName, m.Body, m.Attachments, m.CreatedAt, m.Author == MessageAuthor.Customer ? m.ProviderMessageId : null,
            m.Author == MessageAuthor.System && m.ProviderMessageId == Csat.CsatService.MessageId(m.ConversationId));
}

public sealed record PostMessageResponse(MessageResponse Message, bool Duplicate);

public sealed record MessagesResponse(IReadOnlyList<MessageResponse> Messages, long LastSequence);

public sealed record TypingRequest(bool Typing);

public sealed record ReadRequest(long Sequence);

/// <summary>Offline capture: how to reach the customer, and what they wanted.</summary>
public sealed record ContactRequest(string? Email, string? Name = null, string? Message = null);

/// <summary>POST /conversations/{id}/csat: a 1–5 rating and an optional comment.</summary>
public sealed record CsatAnswerRequest(int? Rating, string? Comment = null);

public sealed record CsatAnswerResponse(int Rating, bool Stored);
