using Dapper;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Retention;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Tests.Retention;

/// <summary>Retention per channel on a fake clock: only closed conversations past their channel's days go; counts are kept and reported.</summary>
public abstract class RetentionServiceTests(string backend) : IAsyncLifetime
{
    readonly TestClock clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    TestDatabase database = null!;
    SqlDialect dialect = null!;
    SqlConversationStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(backend);
        dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        await Migrations.ApplyAsync(dialect);
        store = new SqlConversationStore(dialect, clock, NullLogger<SqlConversationStore>.Instance);
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        await database.DisposeAsync();
    }

    RetentionService Service(string mode) => new(dialect,
        new StaticOptions(new RetentionOptions { Mode = mode, Days = 0, Channels = { ["webchat"] = 30 } }), clock, NullLogger<RetentionService>.Instance);

    async Task<string> ConversationAsync(string channel, bool close)
    {
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:web", Guid.NewGuid().ToString("N")), new ContactDetails());
        var conversation = await store.CreateConversationAsync(new NewConversation("default", channel, "web", contact.Id));
        await store.AppendMessageAsync(new NewMessage(conversation.Id, MessageAuthor.Customer, "my card is 4111 and my address is 1 Main St"));
        await store.SaveAttachmentAsync(conversation.Id, "photo.png", "image/png", [1, 2, 3]);
        if (close) await store.UpdateConversationAsync(conversation.Id, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged);
        return conversation.Id;
    }

    [Fact]
    public async Task Purge_OldClosedWebChat_RemovedWithEventCountsKept()
    {
        var old = await ConversationAsync("webchat", close: true);
        var oldOtherChannel = await ConversationAsync("email", close: true); // email: no retention configured
        var oldButOpen = await ConversationAsync("webchat", close: false);
        clock.Advance(TimeSpan.FromDays(20));
        var recent = await ConversationAsync("webchat", close: true);
        clock.Advance(TimeSpan.FromDays(11)); // old: 31 days closed; recent: 11 days

        var report = await Service("purge").RunAsync("default");

        Assert.Equal(1, report.Conversations);
        Assert.Equal(1, report.Messages);
        Assert.Equal(1, report.Attachments);
        Assert.Equal(1, report.Channels["webchat"]);
        Assert.Null(await store.GetConversationAsync(old));
        foreach (var kept in new[] { oldOtherChannel, oldButOpen, recent }) Assert.NotNull(await store.GetConversationAsync(kept));
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        // created + status_changed of the purged conversation, folded into the counts of their day.
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT SUM(count) FROM event_counts WHERE day = '2026-01-01'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages WHERE conversation_id = @old", new { old }));
        Assert.Equal(0, (await Service("purge").RunAsync("default")).Conversations);
        Assert.Equal(2, (await Service("purge").RunsAsync("default")).Count);
    }

    [Fact]
    public async Task Anonymise_OldClosedWebChat_BlankedOnce()
    {
        var old = await ConversationAsync("webchat", close: true);
        clock.Advance(TimeSpan.FromDays(31));

        var report = await Service("anonymise").RunAsync("default");

        Assert.Equal(1, report.Conversations);
        var message = Assert.Single(await store.GetMessagesAsync(old));
        Assert.Equal(RetentionService.Removed, message.Body);
        Assert.Equal(ConversationEventKinds.Created, (await store.GetEventsAsync(old))[0].Kind); // the event log stays
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM attachments WHERE conversation_id = @old", new { old }));
        Assert.Equal(0, (await Service("anonymise").RunAsync("default")).Conversations); // done once
    }

    [Fact]
    public async Task Run_UnknownMode_SaysWhatIsWrong()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Service("shred").RunAsync("default"));
        Assert.Contains("purge or anonymise", error.Message);
    }

    sealed class StaticOptions(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;
        public RetentionOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}

public sealed class SqliteRetentionServiceTests() : RetentionServiceTests("sqlite");

public sealed class PostgresRetentionServiceTests() : RetentionServiceTests("postgres");
