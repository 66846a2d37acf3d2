using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Jobs;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>Closing a conversation writes its transcript to the configured connector once, retrying through outages.</summary>
public abstract class TranscriptSyncTests(string backend)
{
    [Fact]
    public async Task Close_ConfiguredConnector_OneTicketWithRedactedTranscript()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: TranscriptSyncHarness.Settings());
        var client = hub.CreateClient();
        var id = await TranscriptSyncHarness.ConversationAsync(client, "my parcel never came", "card 4111 1111 1111 1111 was charged");

        await TranscriptSyncHarness.CloseAsync(client, id);
        var sync = await TranscriptSyncHarness.SyncInStateAsync(client, id, "synced");

        var ticket = Assert.Single(zendesk.Tickets);
        Assert.Equal(id, ticket.ConversationId);
        Assert.Contains("my parcel never came", ticket.Description);
        Assert.DoesNotContain("4111 1111 1111 1111", ticket.Description);
        Assert.Equal(ticket.Id, sync.GetProperty("ticketId").GetString());
        Assert.Equal(sync.GetProperty("targetVersion").GetInt64(), sync.GetProperty("syncedVersion").GetInt64());
        // The conversation now knows its ticket, and a rerun of the job changes nothing.
        var admin = await client.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}");
        Assert.Contains(admin.GetProperty("conversation").GetProperty("tickets").EnumerateArray(), t => t.GetProperty("externalId").GetString() == ticket.Id);
        await hub.Get<TranscriptSyncService>().RunAsync(id, "zd");
        Assert.Single(zendesk.Tickets);
    }

    [Fact]
    public async Task Close_TwoHubContactsOneVendorUser_BothTranscriptsSyncedForThatUser()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: TranscriptSyncHarness.Settings());
        var client = hub.CreateClient();
        // Each session is a new hub contact with the same email: one user at Zendesk.
        var first = await TranscriptSyncHarness.ConversationAsync(client, "asked from the laptop");
        await TranscriptSyncHarness.CloseAsync(client, first);
        await TranscriptSyncHarness.SyncInStateAsync(client, first, "synced");
        var second = await TranscriptSyncHarness.ConversationAsync(client, "asked from the phone");
        await TranscriptSyncHarness.CloseAsync(client, second);
        var sync = await TranscriptSyncHarness.SyncInStateAsync(client, second, "synced");

        Assert.Equal(1, sync.GetProperty("attempts").GetInt64());
        Assert.Equal(2, zendesk.Tickets.Count);
        Assert.Single(zendesk.Tickets.Select(t => t.RequesterId).Distinct());
        Assert.Single(zendesk.Contacts, c => c.Email == "jane@example.test");
    }

    [Fact]
    public async Task Close_VendorRateLimits_RetriesNoSoonerThanRetryAfter()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        zendesk.Faults.Throttle(1, TimeSpan.FromSeconds(3), "POST", "/api/v2/tickets");
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: TranscriptSyncHarness.Settings(firstRetrySeconds: 0.2));
        var client = hub.CreateClient();
        var id = await TranscriptSyncHarness.ConversationAsync(client, "where is my refund");

        await TranscriptSyncHarness.CloseAsync(client, id);
        var failed = await TranscriptSyncHarness.SyncInStateAsync(client, id, "failed");
        Assert.Contains("rate limited", failed.GetProperty("lastError").GetString());
        var failedAt = failed.GetProperty("updatedAt").GetDateTimeOffset();
        var retryAt = failed.GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.True(retryAt - failedAt >= TimeSpan.FromSeconds(2.9), $"retry booked {retryAt - failedAt} after the 429, Retry-After was 3 s");

        var synced = await TranscriptSyncHarness.SyncInStateAsync(client, id, "synced");
        Assert.True(synced.GetProperty("updatedAt").GetDateTimeOffset() >= retryAt, "synced before the vendor's Retry-After");
        Assert.Equal(2, synced.GetProperty("attempts").GetInt64());
        Assert.Single(zendesk.Tickets);
    }

    [Fact]
    public async Task Close_OutageOutlastsBudget_DeadLetterThenAdminRetrySyncsOnce()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        zendesk.Faults.Status(503, 1000, "POST", "/api/v2/tickets");
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: TranscriptSyncHarness.Settings(maxAttempts: 2, firstRetrySeconds: 0.2));
        var client = hub.CreateClient();
        var id = await TranscriptSyncHarness.ConversationAsync(client, "cancel my order");

        await TranscriptSyncHarness.CloseAsync(client, id);
        var dead = await TranscriptSyncHarness.SyncInStateAsync(client, id, "dead");
        Assert.Equal(2, dead.GetProperty("attempts").GetInt64());
        var letters = await client.GetFromJsonAsync<JsonElement>("/api/admin/transcript-syncs?state=dead");
        Assert.Contains(letters.EnumerateArray(), l => l.GetProperty("conversationId").GetString() == id);
        Assert.Empty(zendesk.Tickets);

        zendesk.Faults.Clear();
        var retry = await client.PostAsync($"/api/admin/transcript-syncs/{id}/zd/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await TranscriptSyncHarness.SyncInStateAsync(client, id, "synced");
        Assert.Single(zendesk.Tickets);
        // Nothing left to retry once synced.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/admin/transcript-syncs/{id}/zd/retry", null)).StatusCode);
    }

    [Fact]
    public async Task AdminApi_BadInput_ClearProblems()
    {
        await using var hub = await HubFactory.CreateAsync(backend);
        var client = hub.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/admin/transcript-syncs?state=lost")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/admin/conversations/conv_nope/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/admin/transcript-syncs/conv_nope/zd/retry", null)).StatusCode);
    }
}

public sealed class SqliteTranscriptSyncTests() : TranscriptSyncTests("sqlite");

public sealed class PostgresTranscriptSyncTests() : TranscriptSyncTests("postgres");
