using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Hub.Tests.Storage;

/// <summary>Per-ticket history cursors: which tickets are due, the lease between nodes, failures; once per backend through the subclasses below.</summary>
public abstract class TicketHistoryStoreTests(string backend) : IAsyncLifetime
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    readonly TestClock clock = new(DateTimeOffset.UtcNow);
    TestDatabase database = null!;
    SqlConversationStore conversations = null!;
    SqlTicketHistoryStore cursors = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(backend);
        var dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        await Migrations.ApplyAsync(dialect);
        conversations = new SqlConversationStore(dialect, TimeProvider.System, NullLogger<SqlConversationStore>.Instance);
        cursors = new SqlTicketHistoryStore(dialect, clock);
    }

    public async Task DisposeAsync()
    {
        await conversations.DisposeAsync();
        await database.DisposeAsync();
    }

    async Task<string> ConversationWithTicketAsync(string connectorId, string ticketId)
    {
        var contact = await conversations.FindOrCreateContactAsync("default", new ContactKey("visitor:web", Guid.NewGuid().ToString()), new ContactDetails());
        var conversation = await conversations.CreateConversationAsync(new NewConversation("default", "webchat", "web", contact.Id));
        await conversations.LinkTicketAsync(conversation.Id, new TicketReference(connectorId, ticketId));
        return conversation.Id;
    }

    Task<IReadOnlyList<TicketHistoryRow>> ClaimAsync(DateTimeOffset? closedSince = null) =>
        cursors.ClaimDueAsync(["rt"], closedSince ?? clock.GetUtcNow().AddHours(-72), Lease, 50);

    [Fact]
    public async Task ClaimDueAsync_TicketsOfPolledConnectorsOnly_ClaimedOnceUntilTheLeaseEnds()
    {
        var id = await ConversationWithTicketAsync("rt", "1");
        await ConversationWithTicketAsync("zendesk", "7");

        var first = Assert.Single(await ClaimAsync());
        Assert.Equal(("rt", "1", id, null), (first.ConnectorId, first.ExternalId, first.ConversationId, first.HistoryCursor));
        Assert.Empty(await ClaimAsync()); // another node, or this one's next pass: leased

        clock.Advance(Lease + TimeSpan.FromSeconds(1)); // the reader died without writing back
        Assert.Equal("1", Assert.Single(await ClaimAsync()).ExternalId);
    }

    [Fact]
    public async Task AdvanceAsync_LeaseLostToAnotherNode_CursorMovedOnlyByTheHolder()
    {
        await ConversationWithTicketAsync("rt", "2");
        var stale = Assert.Single(await ClaimAsync());
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var current = Assert.Single(await ClaimAsync());

        Assert.False(await cursors.AdvanceAsync(stale, "50", clock.GetUtcNow()));
        Assert.True(await cursors.AdvanceAsync(current, "40", clock.GetUtcNow().AddSeconds(5)));

        var row = (await cursors.GetAsync("rt", "2"))!;
        Assert.Equal(("40", 0L), (row.HistoryCursor, row.Failures));
        Assert.Empty(await ClaimAsync()); // next read in 5 s
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("40", Assert.Single(await ClaimAsync()).HistoryCursor);
    }

    [Fact]
    public async Task FailAsync_KeepsTheCursorCountsAndDelaysTheNextRead()
    {
        await ConversationWithTicketAsync("rt", "3");
        Assert.True(await cursors.AdvanceAsync(Assert.Single(await ClaimAsync()), "10", clock.GetUtcNow()));
        var row = Assert.Single(await ClaimAsync());

        await cursors.FailAsync(row, "connector 'rt': unavailable", clock.GetUtcNow().AddSeconds(30));

        var failed = (await cursors.GetAsync("rt", "3"))!;
        Assert.Equal(("10", 1L, "connector 'rt': unavailable"), (failed.HistoryCursor, failed.Failures, failed.LastError));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await ClaimAsync());
        clock.Advance(TimeSpan.FromSeconds(2));
        var again = Assert.Single(await ClaimAsync());
        Assert.True(await cursors.AdvanceAsync(again, "12", clock.GetUtcNow()));
        var recovered = (await cursors.GetAsync("rt", "3"))!;
        Assert.Equal(("12", 0L, (string?)null), (recovered.HistoryCursor, recovered.Failures, recovered.LastError));
    }

    [Fact]
    public async Task ClaimDueAsync_ClosedConversation_ReadOnlyWhileClosedRecently()
    {
        var id = await ConversationWithTicketAsync("rt", "4");
        await conversations.UpdateConversationAsync(id, new ConversationUpdate(Mode: ConversationMode.Closed), ConversationEventKinds.StatusChanged);
        var closedAt = (await conversations.GetConversationAsync(id))!.ClosedAt!.Value;

        Assert.Empty(await ClaimAsync(closedSince: closedAt.AddMinutes(1))); // closed before the window
        var row = Assert.Single(await ClaimAsync(closedSince: closedAt.AddMinutes(-1)));
        Assert.Equal("closed", row.Mode);
    }
}

public sealed class SqliteTicketHistoryStoreTests() : TicketHistoryStoreTests("sqlite");

public sealed class PostgresTicketHistoryStoreTests() : TicketHistoryStoreTests("postgres");
