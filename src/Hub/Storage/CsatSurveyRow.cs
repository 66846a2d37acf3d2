using IntegrationHub.Hub.Csat;

namespace IntegrationHub.Hub.Storage;

/// <summary>A <c>csat_surveys</c> row as Dapper fills it.</summary>
internal sealed class CsatSurveyRow
{
    public string ConversationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string Channel { get; set; } = "";
    public long BotOnly { get; set; }
    public string State { get; set; } = "";
    public DateTimeOffset ScheduledFor { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public long? Rating { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? PushedAt { get; set; }
    public string? PushError { get; set; }

    public CsatSurvey ToSurvey() => new(ConversationId, WorkspaceId, Channel, BotOnly != 0, State, ScheduledFor, SentAt, (int?)Rating, Comment, AnsweredAt, PushedAt, PushError);
}
