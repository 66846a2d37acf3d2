using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Hub.Sla;

namespace IntegrationHub.Hub.Storage;

// Column-shaped SLA rows that Dapper fills, mapped to the records in one place.

internal static class SlaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}

internal sealed class BusinessCalendarRow
{
    public string Id { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public string Weekly { get; set; } = "[]";
    public string Holidays { get; set; } = "[]";

    public BusinessCalendarDefinition ToDefinition() => new(Id, TimeZone,
        JsonSerializer.Deserialize<List<BusinessHours>>(Weekly, SlaJson.Options) ?? [],
        JsonSerializer.Deserialize<List<DateOnly>>(Holidays, SlaJson.Options) ?? []);
}

internal sealed class SlaPolicyRow
{
    public string Id { get; set; } = "";
    public string? Queue { get; set; }
    public string? Priority { get; set; }
    public string? Channel { get; set; }
    public string? CalendarId { get; set; }
    public long? FirstResponseMinutes { get; set; }
    public long? NextResponseMinutes { get; set; }
    public long? ResolutionMinutes { get; set; }
    public long WarningPercent { get; set; }
    public string BreachActions { get; set; } = "[]";

    public SlaPolicy ToPolicy() => new(Id, Queue, Priority, Channel, CalendarId, (int?)FirstResponseMinutes, (int?)NextResponseMinutes, (int?)ResolutionMinutes,
        (int)WarningPercent, StoredJson.List(BreachActions));
}

internal sealed class SlaTimerRow
{
    public string ConversationId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string PolicyId { get; set; } = "";
    public string? CalendarId { get; set; }
    public long TargetSeconds { get; set; }
    public long WarningPercent { get; set; }
    public long ConsumedSeconds { get; set; }
    public DateTimeOffset? RunningSince { get; set; }
    public string State { get; set; } = "";
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? WarnedAt { get; set; }
    public DateTimeOffset? BreachedAt { get; set; }
    /// <summary>1 when a warning's or breach's side effects are owed (read for a firing only).</summary>
    public long ActionsOwed { get; set; }

    public SlaTimer ToTimer() => new(ConversationId, Kind, WorkspaceId, PolicyId, CalendarId, TargetSeconds, WarningPercent, ConsumedSeconds,
        RunningSince, State, DueAt, WarnedAt, BreachedAt);
}

internal sealed class SlaOwedActionsRow
{
    public string ConversationId { get; set; } = "";
    public string Kind { get; set; } = "";
    public DateTimeOffset? WarningActionsDueAt { get; set; }
    public DateTimeOffset? BreachActionsDueAt { get; set; }
    public long? WarnedBusinessSeconds { get; set; }
}
