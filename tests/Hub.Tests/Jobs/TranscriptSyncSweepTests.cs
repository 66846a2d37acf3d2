using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>
/// The crash windows around a close: the close commits and the node dies before the sync row is written, or after the
/// row and before its Quartz job is booked, or a reopened conversation is closed again with the same gap. A hub started
/// on the same database books what is missing, and every conversation still gets exactly one ticket.
/// </summary>
public abstract class TranscriptSyncSweepTests(string backend)
{
    /// <summary>What a node dying right after the close's commit leaves: the conversation closed, its listeners never run.</summary>
    static Task CloseWithoutListenersAsync(HubFactory hub, string id) =>
        hub.Get<IConversationStore>().UpdateConversationAsync(id, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged,
            new { to = "closed", reason = "test: the node died after this commit" });

    [Fact]
    public async Task Restart_ClosesWhoseSyncWasNeverBooked_SyncedOnceEach()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        await using var database = await TestDatabase.CreateAsync(backend);
        // The first node never gets to its sweep (it "dies" first); the second sweeps as it starts.
        var settings = new Dictionary<string, string?>(TranscriptSyncHarness.Settings()) { ["Hub:TranscriptSync:SweepStartSeconds"] = "3600" };
        string noRow, noJob, reclosed;
        long reclosedVersion;
        await using (var first = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: settings, sharedDatabase: database))
        {
            var client = first.CreateClient();
            // 1. Closed; the node dies before the sync row.
            noRow = await TranscriptSyncHarness.ConversationAsync(client, "the kettle leaks");
            await CloseWithoutListenersAsync(first, noRow);
            // 2. Closed and the row written; the node dies before the Quartz job is booked.
            noJob = await TranscriptSyncHarness.ConversationAsync(client, "the toaster sparks");
            var closed = (await first.Get<IConversationStore>().GetConversationAsync(noJob))!;
            await CloseWithoutListenersAsync(first, noJob);
            Assert.True(await first.Get<SqlTranscriptSyncStore>().RequestAsync(noJob, closed.WorkspaceId, "zd", closed.LastSequence));
            // 3. Closed and synced normally, reopened, more said, closed again; the node dies before the new sync.
            var (id, token) = await TranscriptSyncHarness.VisitorConversationAsync(client, "the fridge hums");
            reclosed = id;
            await TranscriptSyncHarness.CloseAsync(client, reclosed);
            await TranscriptSyncHarness.SyncInStateAsync(client, reclosed, "synced");
            await first.Get<IConversationStore>().UpdateConversationAsync(reclosed, new ConversationUpdate(Mode: ConversationMode.Human), ConversationEventKinds.StatusChanged);
            (await client.SendAsync(TranscriptSyncHarness.AsVisitor(HttpMethod.Post, $"/api/webchat/conversations/{reclosed}/messages", token, new { text = "it still hums" })))
                .EnsureSuccessStatusCode();
            await CloseWithoutListenersAsync(first, reclosed);
            reclosedVersion = (await first.Get<IConversationStore>().GetConversationAsync(reclosed))!.LastSequence;

            Assert.Null(await TranscriptSyncHarness.SyncAsync(client, noRow));
            Assert.Equal("pending", (await TranscriptSyncHarness.SyncAsync(client, noJob))!.Value.GetProperty("state").GetString());
            Assert.Equal(1, zendesk.Tickets.Count(t => t.ConversationId == reclosed));
            Assert.DoesNotContain(zendesk.Tickets, t => t.ConversationId == noRow || t.ConversationId == noJob);
        }

        settings["Hub:TranscriptSync:SweepStartSeconds"] = "0";
        await using var second = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: settings, sharedDatabase: database);
        var again = second.CreateClient();
        foreach (var id in new[] { noRow, noJob })
        {
            var sync = await TranscriptSyncHarness.SyncInStateAsync(again, id, "synced");
            var ticket = Assert.Single(zendesk.Tickets, t => t.ConversationId == id);
            Assert.Equal(ticket.Id, sync.GetProperty("ticketId").GetString());
        }
        var resynced = (JsonElement)await Eventually.ValueAsync<object>(async () =>
            await TranscriptSyncHarness.SyncAsync(again, reclosed) is { } s && s.GetProperty("syncedVersion").GetInt64() == reclosedVersion ? s : null,
            30_000, "the reclosed conversation synced to its new version");
        Assert.Equal("synced", resynced.GetProperty("state").GetString());
        var same = Assert.Single(zendesk.Tickets, t => t.ConversationId == reclosed);
        Assert.NotEmpty(same.AttachmentNames); // the complete transcript went to the existing ticket
    }

    [Fact]
    public async Task Sweep_NothingMissing_BooksNothing()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: TranscriptSyncHarness.Settings());
        var client = hub.CreateClient();
        var id = await TranscriptSyncHarness.ConversationAsync(client, "all good");
        await TranscriptSyncHarness.CloseAsync(client, id);
        await TranscriptSyncHarness.SyncInStateAsync(client, id, "synced");
        // Messages after the close (the survey) do not make a closed transcript look out of date.
        await hub.Get<ConversationService>().PostAsync(id, MessageAuthor.System, "How did we do?");

        Assert.Equal(0, await hub.Get<IntegrationHub.Hub.Jobs.TranscriptSyncScheduler>().SweepAsync());
        Assert.Single(zendesk.Tickets);
    }
}

public sealed class SqliteTranscriptSyncSweepTests() : TranscriptSyncSweepTests("sqlite");

public sealed class PostgresTranscriptSyncSweepTests() : TranscriptSyncSweepTests("postgres");
