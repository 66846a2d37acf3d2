using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Hub.Tests.Storage;

/// <summary>The store suite; runs once per backend through the subclasses below.</summary>
public abstract class ConversationStoreTests(string backend) : IAsyncLifetime
{
    protected TestDatabase database = null!;
    private protected SqlConversationStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(backend);
        store = await OpenAsync();
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        await database.DisposeAsync();
    }

    async Task<SqlConversationStore> OpenAsync()
    {
        var dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        await Migrations.ApplyAsync(dialect);
        return new SqlConversationStore(dialect, TimeProvider.System, NullLogger<SqlConversationStore>.Instance);
    }

    protected async Task<Conversation> NewConversationAsync(string visitor = "v1")
    {
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", visitor), new ContactDetails());
        return await store.CreateConversationAsync(new NewConversation("default", "webchat", "web", contact.Id));
    }

    [Fact]
    public void Backend_IsTheOneUnderTest() => Assert.Equal(backend, store.Backend);

    [Fact]
    public async Task Migrations_RunTwice_SecondRunAppliesNothing()
    {
        var dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        Assert.Equal(0, await Migrations.ApplyAsync(dialect));
    }

    [Fact]
    public async Task AppendMessage_Sequential_NumbersFromOneWithoutGaps()
    {
        var conversation = await NewConversationAsync();
        for (var i = 0; i < 5; i++) await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, $"m{i}"));

        var messages = await store.GetMessagesAsync(conversation.Id);

        Assert.Equal([1, 2, 3, 4, 5], messages.Select(m => m.Sequence));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], messages.Select(m => m.Body));
        Assert.Equal(5, (await store.GetConversationAsync(conversation.Id))!.LastSequence);
    }

    [Fact]
    public async Task AppendMessage_EightConcurrentWriters_NoGapNoDuplicateWriterOrderKept()
    {
        var conversation = await NewConversationAsync();
        const int writers = 8, perWriter = 40;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, $"{w}:{i}", ProviderMessageId: $"{w}-{i}"));
        })));

        var messages = await store.GetMessagesAsync(conversation.Id, limit: 1000);
        Assert.Equal(Enumerable.Range(1, writers * perWriter).Select(i => (long)i), messages.Select(m => m.Sequence));
        Assert.Equal(writers * perWriter, messages.Select(m => m.Body).Distinct().Count());
        // Each writer awaited its append before the next, so its messages appear in its order.
        foreach (var w in Enumerable.Range(0, writers))
            Assert.Equal(Enumerable.Range(0, perWriter), messages.Where(m => m.Body.StartsWith($"{w}:")).Select(m => int.Parse(m.Body.Split(':')[1])));
    }

    [Fact]
    public async Task AppendMessage_EightStoresOnOneDatabase_NoGapNoDuplicate()
    {
        // Separate store instances stand in for separate hub nodes: no shared in-process lock.
        var conversation = await NewConversationAsync();
        var nodes = new List<SqlConversationStore>();
        for (var i = 0; i < 8; i++) nodes.Add(await OpenAsync());
        try
        {
            await Task.WhenAll(nodes.Select((node, n) => Task.Run(async () =>
            {
                for (var i = 0; i < 25; i++)
                    await node.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, $"{n}:{i}"));
            })));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }

        var messages = await store.GetMessagesAsync(conversation.Id, limit: 1000);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), messages.Select(m => m.Sequence));
        Assert.Equal(200, messages.Select(m => m.Body).Distinct().Count());
    }

    [Fact]
    public async Task AppendMessage_SameProviderIdTwice_StoredOnce()
    {
        var conversation = await NewConversationAsync();

        var first = await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "hello", ProviderMessageId: "sms-1"));
        var again = await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "hello", ProviderMessageId: "sms-1"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "dup", ProviderMessageId: "sms-2"))));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Message.Sequence, again.Message.Sequence);
        Assert.Single(concurrent, r => !r.Duplicate);
        Assert.All(concurrent, r => Assert.Equal(2, r.Message.Sequence));
        Assert.Equal(2, (await store.GetMessagesAsync(conversation.Id)).Count);
    }

    [Fact]
    public async Task AppendMessage_HandedOffConversation_CommitMarksTheTicketOwingOnlyCustomerWords()
    {
        var conversation = await NewConversationAsync();
        var other = await NewConversationAsync("v2");
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "before the handoff"));
        var outbox = new SqlTicketSyncStore(SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath()), TimeProvider.System);
        // The packet carried nothing (synced 0), but the row counts the message already committed.
        await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Ticket: new TicketBooking("zendesk", "default", null, "{}", SyncedSeq: 0)),
            ConversationEventKinds.Handoff);
        Assert.Equal(1, Assert.Single(await outbox.ForConversationAsync(conversation.Id)).WantedSeq);

        var agent = await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Agent, "agent words come from the ticket"));
        var customer = await Task.WhenAll(
            store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "after")),
            store.AppendMessageAsync(new NewMessage(other.Id, MessageAuthor.Customer, "no ticket here")));

        Assert.False(agent.TicketSyncDue);
        Assert.True(customer[0].TicketSyncDue);
        Assert.False(customer[1].TicketSyncDue);
        // Marked in the message's own commit: nothing else ran, and a crash now would still owe the ticket this message.
        Assert.Equal(customer[0].Message.Sequence, Assert.Single(await outbox.ForConversationAsync(conversation.Id)).WantedSeq);
    }

    [Fact]
    public async Task AppendMessage_SlaClocksWaitingOnTheCustomer_ReportedByTheCommit()
    {
        var waiting = await NewConversationAsync();
        var running = await NewConversationAsync("v2");
        var slas = new SqlSlaStore(SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath()), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await slas.InsertTimerAsync(new SlaTimer(waiting.Id, SlaTimerKinds.FirstResponse, "default", "p", null, 600, 80, 120, null, SlaTimerStates.Paused, null, null, null));
        await slas.InsertTimerAsync(new SlaTimer(running.Id, SlaTimerKinds.FirstResponse, "default", "p", null, 600, 80, 0, now, SlaTimerStates.Running, now.AddMinutes(10), null, null));

        var results = await Task.WhenAll(
            store.AppendMessageAsync(new NewMessage(waiting.Id, MessageAuthor.Customer, "I am back")),
            store.AppendMessageAsync(new NewMessage(running.Id, MessageAuthor.Customer, "still here")));

        Assert.True(results[0].SlaPaused);
        Assert.False(results[1].SlaPaused);
    }

    [Fact]
    public async Task AppendMessage_UnknownConversation_ThrowsAndNeighboursInTheBatchCommit()
    {
        var conversation = await NewConversationAsync();

        var good = Enumerable.Range(0, 20).Select(i => store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, $"ok{i}"))).ToList();
        var bad = store.AppendMessageAsync(new NewMessage("conv_missing", MessageAuthor.Customer, "lost?"));

        await Assert.ThrowsAsync<ConversationNotFoundException>(() => bad);
        await Task.WhenAll(good);
        Assert.Equal(20, (await store.GetMessagesAsync(conversation.Id)).Count);
    }

    /// <summary>A trigger stands in for any failure inside a transaction (a constraint, a full disk): inserts into <paramref name="table"/> meeting the condition raise.</summary>
    async Task RejectInsertsAsync(string table, string condition = "1 = 1")
    {
        await using var connection = await SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath()).OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = backend == "postgres"
            ? $"""
              CREATE FUNCTION reject_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF {condition} THEN RAISE EXCEPTION 'rejected by the test'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER reject_{table} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION reject_{table}();
              """
            : $"CREATE TRIGGER reject_{table} BEFORE INSERT ON {table} WHEN {condition} BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END;";
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task UpdateConversation_HandoffWithTicket_QueuesAndBooksInOneCommit()
    {
        var conversation = await NewConversationAsync();
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "in the packet"));
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "written while the bot thought"));
        var outbox = new SqlTicketSyncStore(SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath()), TimeProvider.System);

        var queued = await store.UpdateConversationAsync(conversation.Id,
            new ConversationUpdate(Mode: ConversationMode.Queued, Ticket: new TicketBooking("zendesk", "default", "billing", """{"reason":"x"}""", SyncedSeq: 1)),
            ConversationEventKinds.Handoff);

        Assert.Equal(ConversationMode.Queued, queued.Mode);
        var row = Assert.Single(await outbox.ForConversationAsync(conversation.Id));
        Assert.Equal(("zendesk", "billing", 1L), (row.ConnectorId, row.Queue, row.SyncedSeq));
        // The message the packet lacks is owed as a comment from the start.
        Assert.Equal(2, row.WantedSeq);
        Assert.True(await outbox.ExistsAsync(conversation.Id, "zendesk"));
        Assert.False(await outbox.ExistsAsync(conversation.Id, "freshdesk"));

        // A second handoff to the same connector keeps the first booking.
        await store.UpdateConversationAsync(conversation.Id,
            new ConversationUpdate(Mode: ConversationMode.Queued, Ticket: new TicketBooking("zendesk", "other", "sales", "{}", SyncedSeq: 2)),
            ConversationEventKinds.Handoff);
        Assert.Equal("billing", Assert.Single(await outbox.ForConversationAsync(conversation.Id)).Queue);
    }

    [Fact]
    public async Task UpdateConversation_TicketBookingFails_ConversationStaysAsItWas()
    {
        var conversation = await NewConversationAsync();
        // Any failure of the outbox insert: the queuing must not commit without its ticket.
        await RejectInsertsAsync("ticket_sync");

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.UpdateConversationAsync(conversation.Id,
            new ConversationUpdate(Mode: ConversationMode.Queued, Queue: "billing", Ticket: new TicketBooking("zendesk", "default", "billing", "{}", 0)),
            ConversationEventKinds.Handoff));

        var after = (await store.GetConversationAsync(conversation.Id))!;
        Assert.Equal((ConversationMode.Bot, (string?)null), (after.Mode, after.Queue));
        Assert.DoesNotContain(await store.GetEventsAsync(conversation.Id), e => e.Kind == ConversationEventKinds.Handoff);
    }

    [Fact]
    public async Task AppendMessage_DatabaseRejectsOneMessage_OnlyItFailsAndTheWriterGoesOn()
    {
        var conversation = await NewConversationAsync();
        await RejectInsertsAsync("messages", "NEW.body = 'poison'");

        var good = Enumerable.Range(0, 20).Select(i => store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, $"ok{i}"))).ToList();
        var poison = store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "poison"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => poison);
        await Task.WhenAll(good);
        // The failed transaction was ended: the next batch commits on a clean connection, numbered without a gap.
        var after = await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "after"));

        var stored = await store.GetMessagesAsync(conversation.Id);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), stored.Select(m => m.Sequence));
        Assert.Equal(21, after.Message.Sequence);
        Assert.DoesNotContain(stored, m => m.Body == "poison");
    }

    [Fact]
    public async Task AppendMessage_ManyConversationsInOneBatch_AllNumberedAndAdvanced()
    {
        var conversations = new List<Conversation>();
        for (var i = 0; i < 150; i++) conversations.Add(await NewConversationAsync($"many{i}"));

        // 300 messages at once: batches span more conversations than one change notification holds.
        var results = await Task.WhenAll(conversations.SelectMany(c => new[]
        {
            store.AppendMessageAsync(new NewMessage(c.Id, MessageAuthor.Customer, "one", ProviderMessageId: $"{c.Id}-1")),
            store.AppendMessageAsync(new NewMessage(c.Id, MessageAuthor.Bot, "two")),
        }));

        Assert.All(results, r => Assert.False(r.Duplicate));
        foreach (var c in conversations)
        {
            Assert.Equal([1L, 2L], (await store.GetMessagesAsync(c.Id)).Select(m => m.Sequence));
            var stored = await store.GetConversationAsync(c.Id);
            Assert.Equal(2, stored!.LastSequence);
            Assert.NotNull(stored.FirstBotReplyAt);
        }
    }

    [Fact]
    public async Task AppendMessage_AnotherNodeChangedTheConversation_NumbersAndVerdictsFollowTheDatabase()
    {
        // The writer numbers a batch from what its last commit left (one round trip on PostgreSQL); every change made
        // elsewhere since must be noticed: another node's message, a duplicate stored there, a paused clock, a close.
        var conversation = await NewConversationAsync();
        await using var otherNode = await OpenAsync();
        Assert.Equal(1, (await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "one"))).Message.Sequence);

        await otherNode.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "two", ProviderMessageId: "p-2"));
        Assert.Equal(3, (await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "three"))).Message.Sequence);

        await otherNode.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "four", ProviderMessageId: "p-4"));
        var again = await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "four", ProviderMessageId: "p-4"));
        Assert.True(again.Duplicate);
        Assert.Equal(4, again.Message.Sequence);

        var slas = new SqlSlaStore(SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath()), TimeProvider.System);
        await slas.InsertTimerAsync(new SlaTimer(conversation.Id, SlaTimerKinds.FirstResponse, "default", "p", null, 600, 80, 120, null, SlaTimerStates.Paused, null, null, null));
        var afterPause = await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "five"));
        Assert.True(afterPause.SlaPaused);
        Assert.Equal(5, afterPause.Message.Sequence);

        await otherNode.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged);
        await Assert.ThrowsAsync<ConversationClosedException>(() =>
            store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "after the close", RequireOpen: true)));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await store.GetMessagesAsync(conversation.Id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task Restart_KeepsEverythingAcknowledged()
    {
        var conversation = await NewConversationAsync();
        var acknowledged = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, $"m{i}", Attachments: [new AttachmentInfo($"att{i}", "a.png", "image/png", 10)]))));
        await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Queued, Intent: "refund"), ConversationEventKinds.Handoff, new { reason = "asked for a human" });
        await store.DisposeAsync();

        store = await OpenAsync();

        var messages = await store.GetMessagesAsync(conversation.Id);
        Assert.Equal(acknowledged.Select(a => a.Message.Sequence).Order(), messages.Select(m => m.Sequence));
        Assert.All(messages, m => Assert.Equal("image/png", Assert.Single(m.Attachments).ContentType));
        var reloaded = (await store.GetConversationAsync(conversation.Id))!;
        Assert.Equal(ConversationMode.Queued, reloaded.Mode);
        Assert.Equal("refund", reloaded.Intent);
        Assert.Equal(50, reloaded.LastSequence);
    }

    [Fact]
    public async Task FindOrCreateContact_RacingCallsSameKey_OneContact()
    {
        var contacts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            store.FindOrCreateContactAsync("default", new ContactKey("email", "ana@example.com"), new ContactDetails(Name: "Ana")))));

        Assert.Single(contacts.Select(c => c.Id).Distinct());
        Assert.Equal("Ana", contacts[0].Name);
    }

    [Fact]
    public async Task UpdateContact_AddsEmailsPhonesAndNeverLowersIdentity()
    {
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", "v9"), new ContactDetails(IdentityStatus: IdentityStatus.Verified));
        await store.UpdateContactAsync(contact.Id, new ContactDetails(Name: "Bo", Email: "Bo@Example.com", Phone: "+15550100", IdentityStatus: IdentityStatus.Identified));
        await store.SetContactExternalIdAsync(contact.Id, "zendesk-eu", "9001");

        var reloaded = (await store.GetContactAsync(contact.Id))!;
        var byEmail = await store.FindOrCreateContactAsync("default", new ContactKey("email", "bo@example.com"), new ContactDetails());

        Assert.Equal("Bo", reloaded.Name);
        Assert.Equal(["bo@example.com"], reloaded.Emails);
        Assert.Equal(["+15550100"], reloaded.Phones);
        Assert.Equal(IdentityStatus.Verified, reloaded.IdentityStatus);
        Assert.Equal("9001", reloaded.ExternalIds["zendesk-eu"]);
        Assert.Equal(contact.Id, byEmail.Id);
    }

    [Fact]
    public async Task SetContactExternalId_VendorIdHeldByAnotherContact_ReturnsFalseAndKeepsTheFirst()
    {
        var first = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", "browser-a"), new ContactDetails(Email: "same@example.com"));
        var second = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", "browser-b"), new ContactDetails(Email: "same@example.com"));
        Assert.True(await store.SetContactExternalIdAsync(first.Id, "zendesk-eu", "9001"));
        Assert.True(await store.SetContactExternalIdAsync(second.Id, "zendesk-eu", "7000"));

        Assert.False(await store.SetContactExternalIdAsync(second.Id, "zendesk-eu", "9001"));

        Assert.Equal("9001", (await store.GetContactAsync(first.Id))!.ExternalIds["zendesk-eu"]);
        // The second contact's old id was stale (the vendor now says 9001), so it is dropped, not kept.
        Assert.False((await store.GetContactAsync(second.Id))!.ExternalIds.ContainsKey("zendesk-eu"));
        Assert.True(await store.SetContactExternalIdAsync(first.Id, "zendesk-eu", "9001"));
    }

    [Fact]
    public async Task UpdateContact_Segments_ReplacedNormalisedAndKeptWhenNotGiven()
    {
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("email", "seg@example.com"), new ContactDetails());
        await store.UpdateContactAsync(contact.Id, new ContactDetails(Segments: ["VIP", " beta ", "vip"]));
        await store.UpdateContactAsync(contact.Id, new ContactDetails(Name: "Seg"));

        var reloaded = (await store.GetContactAsync(contact.Id))!;

        Assert.Equal(["beta", "vip"], reloaded.Segments);
        Assert.Equal("Seg", reloaded.Name);
    }

    [Fact]
    public async Task Timestamps_FirstRepliesAndClose_AreRecorded()
    {
        var conversation = await NewConversationAsync();
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "hi"));
        var afterCustomer = (await store.GetConversationAsync(conversation.Id))!;
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Bot, "hello"));
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Agent, "note", MessageVisibility.Internal));
        var afterNote = (await store.GetConversationAsync(conversation.Id))!;
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Agent, "I can help", AuthorName: "Sam"));
        var closed = await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged);

        Assert.Null(afterCustomer.FirstBotReplyAt);
        Assert.NotNull(afterNote.FirstBotReplyAt);
        Assert.Null(afterNote.FirstHumanReplyAt);
        Assert.NotNull(closed.FirstHumanReplyAt);
        Assert.NotNull(closed.ClosedAt);
        Assert.True(closed.CreatedAt <= closed.FirstBotReplyAt && closed.FirstBotReplyAt <= closed.FirstHumanReplyAt);
        var reopened = await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Human), ConversationEventKinds.StatusChanged);
        Assert.Null(reopened.ClosedAt);
    }

    [Fact]
    public async Task Events_AppendOnlyInOrderWithData()
    {
        var conversation = await NewConversationAsync();
        await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Queued), ConversationEventKinds.Handoff, new { reason = "asked for a human" });
        await store.AppendEventAsync(conversation.Id, ConversationEventKinds.Transfer, new { queue = "billing" });
        await store.LinkTicketAsync(conversation.Id, new TicketReference("zendesk", "123", "https://acme.zendesk.com/agent/tickets/123"));
        await store.LinkTicketAsync(conversation.Id, new TicketReference("zendesk", "124"));

        var events = await store.GetEventsAsync(conversation.Id);
        var reloaded = (await store.GetConversationAsync(conversation.Id))!;

        Assert.Equal([ConversationEventKinds.Created, ConversationEventKinds.Handoff, ConversationEventKinds.Transfer, ConversationEventKinds.TicketLinked, ConversationEventKinds.TicketLinked], events.Select(e => e.Kind));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
        Assert.Contains("asked for a human", events[1].Data);
        Assert.Equal("124", Assert.Single(reloaded.Tickets).ExternalId);
    }

    [Fact]
    public async Task MarkRead_OnlyMovesForwardAndNotPastTheLastMessage()
    {
        var conversation = await NewConversationAsync();
        for (var i = 0; i < 3; i++) await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Bot, "x"));

        await store.MarkReadAsync(conversation.Id, byCustomer: true, 2);
        await store.MarkReadAsync(conversation.Id, byCustomer: true, 1);
        await store.MarkReadAsync(conversation.Id, byCustomer: false, 99);

        var reloaded = (await store.GetConversationAsync(conversation.Id))!;
        Assert.Equal(2, reloaded.CustomerReadSequence);
        Assert.Equal(3, reloaded.AgentReadSequence);
        await Assert.ThrowsAsync<ConversationNotFoundException>(() => store.MarkReadAsync("conv_missing", true, 1));
    }

    [Fact]
    public async Task Attachments_RoundTripBytes()
    {
        var conversation = await NewConversationAsync();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        var saved = await store.SaveAttachmentAsync(conversation.Id, "receipt.pdf", "application/pdf", bytes);
        var loaded = await store.GetAttachmentAsync(saved.Info.Id);

        Assert.NotNull(loaded);
        Assert.Equal(bytes, loaded.Value.Content);
        Assert.Equal("receipt.pdf", loaded.Value.Attachment.Info.FileName);
        Assert.Equal(conversation.Id, loaded.Value.Attachment.ConversationId);
        Assert.Null(await store.GetAttachmentAsync("att_missing"));
    }

    [Fact]
    public async Task Secrets_CreatedOnceSharedAfterwards()
    {
        var first = await store.GetOrCreateSecretAsync("visitor-token-key", () => "one");
        var second = await store.GetOrCreateSecretAsync("visitor-token-key", () => "two");
        Assert.Equal("one", first);
        Assert.Equal("one", second);
    }
}

public sealed class SqliteConversationStoreTests() : ConversationStoreTests("sqlite");

public sealed class PostgresConversationStoreTests() : ConversationStoreTests("postgres")
{
    [Fact]
    public async Task AppendMessage_WhileAForeignKeyInsertHoldsTheConversation_DoesNotWait()
    {
        var conversation = await NewConversationAsync();
        // What an open transaction inserting a row that references the conversation holds (a webhook batch, a ticket link).
        await using var other = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var keyShare = new Npgsql.NpgsqlCommand("SELECT 1 FROM conversations WHERE id = @id FOR KEY SHARE", other, transaction))
        {
            keyShare.Parameters.AddWithValue("id", conversation.Id);
            await keyShare.ExecuteScalarAsync();
        }

        // The message batch locks the row for an update that keeps its key, which a key-share lock does not block; a
        // plain FOR UPDATE waited here, and with the other transaction locking in another order PostgreSQL found a deadlock.
        var append = store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Agent, "not blocked"));
        Assert.Same(append, await Task.WhenAny(append, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(1, (await append).Message.Sequence);
        await transaction.RollbackAsync();
    }
}
