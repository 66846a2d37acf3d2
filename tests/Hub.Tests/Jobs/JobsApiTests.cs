using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>The admin's view of durable work: jobs and triggers, cancelling and retrying a sync, running retention.</summary>
public abstract class JobsApiTests(string backend)
{
    [Fact]
    public async Task FailingSync_ListedWithItsNextAttempt_CancelledThenRetried()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        zendesk.Faults.Status(503, 1000, "POST", "/api/v2/tickets");
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk),
            settings: TranscriptSyncHarness.Settings(maxAttempts: 10, firstRetrySeconds: 30));
        var client = hub.CreateClient();
        var id = await TranscriptSyncHarness.ConversationAsync(client, "refund please");
        await TranscriptSyncHarness.CloseAsync(client, id);
        var failed = await TranscriptSyncHarness.SyncInStateAsync(client, id, "failed");

        // Once the failed run has finished, one trigger waits for the next attempt.
        var jobs = await Eventually.ValueAsync(async () =>
        {
            var view = await client.GetFromJsonAsync<JsonElement>("/api/admin/jobs");
            var syncTriggers = view.GetProperty("triggers").EnumerateArray().Where(t => t.GetProperty("group").GetString() == "transcript-sync").ToList();
            return syncTriggers is [{ } only] && only.GetProperty("state").GetString() == "waiting" ? (object)view : null;
        }, 10_000, "one waiting transcript-sync trigger") is JsonElement settled ? settled : default;
        Assert.Equal(1, jobs.GetProperty("transcriptSyncs").GetProperty("failed").GetInt64());
        var trigger = Assert.Single(jobs.GetProperty("triggers").EnumerateArray(), t => t.GetProperty("group").GetString() == "transcript-sync");
        var nextFire = trigger.GetProperty("nextFireAt").GetDateTimeOffset();
        Assert.InRange(nextFire, failed.GetProperty("nextAttemptAt").GetDateTimeOffset().AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(61));

        var cancelled = await client.PostAsync($"/api/admin/transcript-syncs/{id}/zd/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/admin/transcript-syncs/{id}/zd/cancel", null)).StatusCode);

        zendesk.Faults.Clear();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/admin/transcript-syncs/{id}/zd/retry", null)).StatusCode);
        await TranscriptSyncHarness.SyncInStateAsync(client, id, "synced");
        Assert.Single(zendesk.Tickets);
    }

    [Fact]
    public async Task Retention_EnabledAndRunByHand_BookedAndReported()
    {
        await using var hub = await HubFactory.CreateAsync(backend, settings: new Dictionary<string, string?>
        {
            ["Hub:Retention:Enabled"] = "true",
            ["Hub:Retention:Days"] = "30",
            ["Hub:Retention:IntervalHours"] = "24",
        });
        var client = hub.CreateClient();
        var jobs = await client.GetFromJsonAsync<JsonElement>("/api/admin/jobs");
        Assert.Contains(jobs.GetProperty("triggers").EnumerateArray(), t => t.GetProperty("group").GetString() == "retention");

        var report = await (await client.PostAsync("/api/admin/retention/run", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("anonymise", report.GetProperty("mode").GetString());
        Assert.Equal(0, report.GetProperty("conversations").GetInt64());
        var runs = await client.GetFromJsonAsync<JsonElement>("/api/admin/retention/runs");
        Assert.True(runs.GetArrayLength() >= 1);
    }
}

public sealed class SqliteJobsApiTests() : JobsApiTests("sqlite");

public sealed class PostgresJobsApiTests() : JobsApiTests("postgres");
