using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Jobs;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Sla;

/// <summary>Policies and calendars through the admin API; timers started at handoff and fired by Quartz in the running hub.</summary>
public abstract class SlaApiTests(string backend)
{
    [Fact]
    public async Task PutCalendarAndPolicy_BadInput_ClearProblems()
    {
        await using var hub = await HubFactory.CreateAsync(backend);
        var client = hub.CreateClient();
        async Task<string> ProblemAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        }
        Assert.Contains("unknown time zone", await ProblemAsync(await client.PutAsJsonAsync("/api/admin/sla/calendars/x",
            new { timeZone = "Mars/Olympus", weekly = new[] { new { day = "monday", start = "09:00", end = "17:00" } } })));
        Assert.Contains("weekly[0].day", await ProblemAsync(await client.PutAsJsonAsync("/api/admin/sla/calendars/x",
            new { timeZone = "UTC", weekly = new[] { new { day = "funday", start = "09:00", end = "17:00" } } })));
        Assert.Contains("overlap", await ProblemAsync(await client.PutAsJsonAsync("/api/admin/sla/calendars/x",
            new { timeZone = "UTC", weekly = new[] { new { day = "monday", start = "09:00", end = "13:00" }, new { day = "monday", start = "12:00", end = "17:00" } } })));
        Assert.Contains("at least one", await ProblemAsync(await client.PutAsJsonAsync("/api/admin/sla/policies/p", new { queue = "support" })));
        Assert.Contains("calendar 'nope'", await ProblemAsync(await client.PutAsJsonAsync("/api/admin/sla/policies/p", new { firstResponseMinutes = 30, calendarId = "nope" })));
        Assert.Contains("unknown breach action", await ProblemAsync(await client.PutAsJsonAsync("/api/admin/sla/policies/p", new { firstResponseMinutes = 30, breachActions = new[] { "page-the-ceo" } })));

        (await client.PutAsJsonAsync("/api/admin/sla/calendars/berlin", new
        {
            timeZone = "Europe/Berlin",
            weekly = new[] { new { day = "monday", start = "09:00", end = "12:00" }, new { day = "monday", start = "13:00", end = "17:00" } },
            holidays = new[] { "2026-12-25" },
        })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/api/admin/sla/policies/p", new { firstResponseMinutes = 30, calendarId = "berlin", breachActions = new[] { "raise-priority" } })).EnsureSuccessStatusCode();
        var policies = await client.GetFromJsonAsync<JsonElement>("/api/admin/sla/policies");
        Assert.Equal("berlin", Assert.Single(policies.EnumerateArray()).GetProperty("calendarId").GetString());
        var calendars = await client.GetFromJsonAsync<JsonElement>("/api/admin/sla/calendars");
        Assert.Equal(2, Assert.Single(calendars.EnumerateArray()).GetProperty("weekly").GetArrayLength());
    }

    [Fact]
    public async Task Handoff_TimerStarted_QuartzFiresTheWarningAndPauseStopsTheClock()
    {
        await using var hub = await HubFactory.CreateAsync(backend);
        var client = hub.CreateClient();
        // Round the clock, 1 minute first response, warning at 5 % (3 s).
        (await client.PutAsJsonAsync("/api/admin/sla/policies/fast", new { firstResponseMinutes = 1, warningPercent = 5 })).EnsureSuccessStatusCode();

        // No bot and no agents: the first message queues the conversation for a human, which starts the timers.
        var id = await TranscriptSyncHarness.ConversationAsync(client, "hello, anyone?");
        var timer = await Eventually.ValueAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}/sla")).EnumerateArray()
                .Select(t => (JsonElement?)t).FirstOrDefault(t => t!.Value.GetProperty("kind").GetString() == "first_response"), 10_000, "the first-response timer");
        Assert.Equal("running", timer!.Value.GetProperty("state").GetString());

        await Eventually.TrueAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}")).GetProperty("events").EnumerateArray()
                .Any(e => e.GetProperty("kind").GetString() == "sla.warning"), 30_000, "Quartz to fire the SLA warning");

        var paused = await (await client.PostAsync($"/api/admin/conversations/{id}/sla/pause", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var first = paused.EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "first_response");
        Assert.Equal("paused", first.GetProperty("state").GetString());
        Assert.True(first.GetProperty("consumedSeconds").GetInt64() is >= 3 and < 60);
        var resumed = await (await client.PostAsync($"/api/admin/conversations/{id}/sla/resume", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("running", resumed.EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "first_response").GetProperty("state").GetString());
    }
}

public sealed class SqliteSlaApiTests() : SlaApiTests("sqlite");

public sealed class PostgresSlaApiTests() : SlaApiTests("postgres");
