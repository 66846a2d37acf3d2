using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.Apis;

/// <summary>Admin endpoints for SLA policies, business-hours calendars and a conversation's timers, under <c>/api/admin</c>.</summary>
public static class SlaApi
{

    public static IEndpointRouteBuilder MapSlaApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter(AdminApi.RequireAdmin).WithTags("Admin");
        admin.MapGet("/sla/calendars", (SqlSlaStore slas, ConnectorsConfigurationMonitor config, CancellationToken cancellationToken) =>
            slas.ListCalendarsAsync(config.Current.Workspace, cancellationToken));
        admin.MapPut("/sla/calendars/{id}", PutCalendarAsync);
        admin.MapGet("/sla/policies", (SqlSlaStore slas, ConnectorsConfigurationMonitor config, CancellationToken cancellationToken) =>
            slas.ListPoliciesAsync(config.Current.Workspace, cancellationToken));
        admin.MapPut("/sla/policies/{id}", PutPolicyAsync);
        admin.MapGet("/conversations/{id}/sla", async (string id, SlaService sla, CancellationToken cancellationToken) => Results.Ok(await sla.TimersAsync(id, cancellationToken)));
        // Waiting on the customer (e.g. the helpdesk ticket went to "pending") and back.
        admin.MapPost("/conversations/{id}/sla/pause", async (string id, SlaService sla, CancellationToken cancellationToken) =>
        {
            await sla.PauseAsync(id, cancellationToken);
            return Results.Ok(await sla.TimersAsync(id, cancellationToken));
        });
        admin.MapPost("/conversations/{id}/sla/resume", async (string id, SlaService sla, SlaTimerScheduler scheduler, CancellationToken cancellationToken) =>
        {
            await scheduler.ResumeAsync(id, cancellationToken);
            return Results.Ok(await sla.TimersAsync(id, cancellationToken));
        });
        return app;
    }

    static async Task<IResult> PutCalendarAsync(string id, CalendarRequest request, SqlSlaStore slas, ConnectorsConfigurationMonitor config, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.TimeZone)) return Invalid("timeZone is required (an IANA id such as Europe/Berlin)");
        var weekly = new List<BusinessHours>();
        foreach (var (hours, index) in (request.Weekly ?? []).Select((h, i) => (h, i)))
        {
            if (!Enum.TryParse<DayOfWeek>(hours.Day, ignoreCase: true, out var day) || int.TryParse(hours.Day, out _))
                return Invalid($"weekly[{index}].day must be a weekday name such as monday");
            if (hours.Start is null || hours.End is null) return Invalid($"weekly[{index}] needs start and end (HH:mm)");
            weekly.Add(new BusinessHours(day, hours.Start, hours.End));
        }
        var definition = new BusinessCalendarDefinition(id, request.TimeZone, weekly, request.Holidays ?? []);
        try
        {
            definition.ToCalendar();
        }
        catch (ArgumentException e)
        {
            return Invalid(e.Message);
        }
        await slas.PutCalendarAsync(config.Current.Workspace, definition, cancellationToken);
        return Results.Ok(definition);
    }

    static async Task<IResult> PutPolicyAsync(string id, PolicyRequest request, SqlSlaStore slas, ConnectorsConfigurationMonitor config, CancellationToken cancellationToken)
    {
        var workspace = config.Current.Workspace;
        int?[] targets = [request.FirstResponseMinutes, request.NextResponseMinutes, request.ResolutionMinutes];
        if (targets.All(t => t is null)) return Invalid("set at least one of firstResponseMinutes, nextResponseMinutes, resolutionMinutes");
        if (targets.Any(t => t is < 1)) return Invalid("targets are whole business minutes, at least 1");
        if (request.WarningPercent is < 1 or > 100) return Invalid("warningPercent must be between 1 and 100");
        if (request.BreachActions?.FirstOrDefault(a => !SlaBreachActions.All.Contains(a)) is { } unknown)
            return Invalid($"unknown breach action '{unknown}' (known: {string.Join(", ", SlaBreachActions.All)})");
        if (request.CalendarId is { } calendarId && await slas.GetCalendarAsync(workspace, calendarId, cancellationToken) is null)
            return Invalid($"calendar '{calendarId}' does not exist; PUT /api/admin/sla/calendars/{calendarId} first");
        var policy = new SlaPolicy(id, request.Queue, request.Priority, request.Channel, request.CalendarId, request.FirstResponseMinutes,
            request.NextResponseMinutes, request.ResolutionMinutes, request.WarningPercent ?? 80, request.BreachActions ?? []);
        await slas.PutPolicyAsync(workspace, policy, cancellationToken);
        return Results.Ok(policy);
    }

    static IResult Invalid(string detail) => Results.Problem(detail: detail, statusCode: 400);
}
