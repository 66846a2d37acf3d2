using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>
/// The hub process is killed (SIGKILL) while the transcript job waits on a vendor that has already created
/// the ticket; after a restart on the same database the job is recovered and completes, with one ticket.
/// </summary>
public abstract class TranscriptSyncCrashTests(string backend)
{
    [Fact]
    public async Task TranscriptJob_ProcessKilledAfterVendorCommitted_CompletesOnceAfterRestart()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        // The vendor stores the ticket, then holds the answer: the hub is mid-call when it dies.
        zendesk.Faults.TimeoutAfterCommit(1, "POST", "/api/v2/tickets", hang: TimeSpan.FromSeconds(30));
        await using var database = await TestDatabase.CreateAsync(backend);
        var folder = Directory.CreateTempSubdirectory("hub-crash-");
        try
        {
            var connectorsFile = Path.Combine(folder.FullName, "connectors.json");
            await File.WriteAllTextAsync(connectorsFile, TranscriptSyncHarness.Connectors(zendesk, timeoutSeconds: 120));
            var environment = new Dictionary<string, string?>
            {
                ["HUB_TEST_IDENTITY_SECRET"] = HubFactory.IdentitySecret,
                ["Hub__TranscriptSync__Connectors__0"] = "zd",
                ["Hub__TranscriptSync__FirstRetrySeconds"] = "1",
            };

            string id;
            await using (var first = await HubProcess.StartAsync(connectorsFile, connectionString: database.ConnectionString, environment: environment))
            {
                using var client = new HttpClient { BaseAddress = first.Address };
                id = await TranscriptSyncHarness.ConversationAsync(client, "the blender arrived broken");
                await TranscriptSyncHarness.CloseAsync(client, id);
                await Eventually.TrueAsync(() => Task.FromResult(zendesk.Tickets.Count == 1), 30_000, "the vendor to commit the ticket");
                var midRun = await TranscriptSyncHarness.SyncAsync(client, id);
                Assert.Equal("pending", midRun!.Value.GetProperty("state").GetString());
                await first.KillAsync();
            }

            await using var second = await HubProcess.StartAsync(connectorsFile, connectionString: database.ConnectionString, environment: environment);
            using var again = new HttpClient { BaseAddress = second.Address };
            JsonElement synced;
            try
            {
                synced = await TranscriptSyncHarness.SyncInStateAsync(again, id, "synced", timeoutMs: 90_000);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}. Hub output:\n{second.Output}", e);
            }
            var ticket = Assert.Single(zendesk.Tickets);
            Assert.Equal(id, ticket.ConversationId);
            Assert.Equal(ticket.Id, synced.GetProperty("ticketId").GetString());
            var conversation = await again.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}");
            Assert.Single(conversation.GetProperty("conversation").GetProperty("tickets").EnumerateArray());
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }
}

public sealed class SqliteTranscriptSyncCrashTests() : TranscriptSyncCrashTests("sqlite");

public sealed class PostgresTranscriptSyncCrashTests() : TranscriptSyncCrashTests("postgres");
