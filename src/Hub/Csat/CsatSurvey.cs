namespace IntegrationHub.Hub.Csat;

/// <summary>A conversation's survey, as stored in <c>csat_surveys</c>.</summary>
/// <param name="State">scheduled | sent | answered</param>
public sealed record CsatSurvey(
    string ConversationId,
    string WorkspaceId,
    string Channel,
    bool BotOnly,
    string State,
    DateTimeOffset ScheduledFor,
    DateTimeOffset? SentAt,
    int? Rating,
    string? Comment,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? PushedAt,
    string? PushError);
