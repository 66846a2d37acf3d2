using Dapper;
using IntegrationHub.Bot;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests.Storage;

/// <summary>The bot's repositories (intents, knowledge sources, chunks); runs once per backend through the subclasses below.</summary>
public abstract class BotStoreTests(string backend) : IAsyncLifetime
{
    const string Ws = "default", Other = "other";
    TestDatabase database = null!;
    SqlDialect dialect = null!;
    SqlIntentStore intents = null!;
    SqlKnowledgeSourceStore sources = null!;
    SqlKnowledgeChunkStore chunks = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(backend);
        dialect = SqlDialect.FromConnectionString(database.ConnectionString, Path.GetTempPath());
        await Migrations.ApplyAsync(dialect);
        await using (var connection = await dialect.OpenAsync(default))
            await connection.ExecuteAsync("INSERT INTO workspaces (id, name, created_at) VALUES (@Other, 'Other', @now)", new { Other, now = DateTimeOffset.UtcNow });
        intents = new SqlIntentStore(dialect, TimeProvider.System);
        sources = new SqlKnowledgeSourceStore(dialect, TimeProvider.System);
        chunks = new SqlKnowledgeChunkStore(dialect);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    static IntentDefinition Refund(string answer = "Refunds take 5 days.") => new(
        "refund_status", "Where is my refund", ["where is my refund", "refund not received"], IntentRouting.Hybrid,
        [new IntentField("order_number", "What is your order number?", @"\d{6}")], answer);

    static KnowledgeChunk Chunk(string document, int ordinal, string text, string hash = "h1", string ws = Ws, float[]? embedding = null) =>
        new(ws, "docs", document, ordinal, "Returns", ordinal == 0 ? "" : $"Part {ordinal}", text, $"/knowledge/docs/{document}.html", hash, embedding);

    [Fact]
    public async Task IntentUpsert_NewIntent_ListedWithEveryField()
    {
        await intents.UpsertAsync(Ws, Refund());

        var stored = Assert.Single(await intents.ListAsync(Ws));

        Assert.Equal("refund_status", stored.Name);
        Assert.Equal("Where is my refund", stored.DisplayName);
        Assert.Equal(["where is my refund", "refund not received"], stored.Examples);
        Assert.Equal(IntentRouting.Hybrid, stored.Routing);
        Assert.Equal(new IntentField("order_number", "What is your order number?", @"\d{6}"), Assert.Single(stored.FieldsOrEmpty));
        Assert.Equal("Refunds take 5 days.", stored.Answer);
    }

    [Fact]
    public async Task IntentUpsert_SameName_ReplacesAndAdvancesRevision()
    {
        await intents.UpsertAsync(Ws, Refund());
        var first = await intents.GetRevisionAsync(Ws);

        await intents.UpsertAsync(Ws, Refund("Refunds take 3 days.") with { Fields = null });

        var stored = Assert.Single(await intents.ListAsync(Ws));
        Assert.Equal("Refunds take 3 days.", stored.Answer);
        Assert.Empty(stored.FieldsOrEmpty);
        Assert.True(await intents.GetRevisionAsync(Ws) > first);
    }

    [Fact]
    public async Task IntentDelete_ExistingAndMissing_RevisionMovesOnlyWhenSomethingWasDeleted()
    {
        Assert.Equal(0, await intents.GetRevisionAsync(Ws));
        await intents.UpsertAsync(Ws, Refund());
        var afterUpsert = await intents.GetRevisionAsync(Ws);

        await intents.DeleteAsync(Ws, "refund_status");
        var afterDelete = await intents.GetRevisionAsync(Ws);
        await intents.DeleteAsync(Ws, "refund_status");

        Assert.Empty(await intents.ListAsync(Ws));
        Assert.True(afterDelete > afterUpsert);
        Assert.Equal(afterDelete, await intents.GetRevisionAsync(Ws));
    }

    [Fact]
    public async Task Intents_TwoWorkspaces_NeitherSeesNorMovesTheOther()
    {
        await intents.UpsertAsync(Other, Refund());

        Assert.Empty(await intents.ListAsync(Ws));
        Assert.Equal(0, await intents.GetRevisionAsync(Ws));
        Assert.Single(await intents.ListAsync(Other));
    }

    [Fact]
    public async Task SourceUpsert_NewThenChanged_ListedWithLatestValues()
    {
        await sources.UpsertAsync(new KnowledgeSource(Ws, "docs", KnowledgeSourceKinds.Folder, "/srv/docs", null, "Docs"));
        await sources.UpsertAsync(new KnowledgeSource(Ws, "docs", KnowledgeSourceKinds.Folder, "/srv/docs2", "https://help.example", "Help", Enabled: false));
        await sources.UpsertAsync(new KnowledgeSource(Other, "faq", KnowledgeSourceKinds.Faq));

        var listed = Assert.Single(await sources.ListAsync(Ws));

        Assert.Equal(new KnowledgeSource(Ws, "docs", KnowledgeSourceKinds.Folder, "/srv/docs2", "https://help.example", "Help", Enabled: false), listed);
    }

    [Fact]
    public async Task SourceDelete_Existing_Gone()
    {
        await sources.UpsertAsync(new KnowledgeSource(Ws, "faq", KnowledgeSourceKinds.Faq));
        await sources.DeleteAsync(Ws, "faq");
        Assert.Empty(await sources.ListAsync(Ws));
    }

    [Fact]
    public async Task ReplaceDocument_ThenFewerChunks_OnlyTheNewChunksRemainWithHash()
    {
        await chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("returns", 0, "a"), Chunk("returns", 1, "b"), Chunk("returns", 2, "c")]);
        await chunks.ReplaceDocumentAsync(Ws, "docs", "shipping", [Chunk("shipping", 0, "s", "h9")]);

        await chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("returns", 0, "a2", "h2"), Chunk("returns", 1, "b2", "h2")]);

        var listed = await chunks.ListAsync(Ws);
        Assert.Equal(["a2", "b2", "s"], listed.Select(c => c.Text).Order());
        Assert.Equal(new Dictionary<string, string> { ["returns"] = "h2", ["shipping"] = "h9" }, await chunks.GetDocumentHashesAsync(Ws, "docs"));
        Assert.Equal(Chunk("returns", 1, "b2", "h2"), listed.Single(c => c.Text == "b2"));
    }

    [Fact]
    public async Task ReplaceDocument_EmptyList_DeletesDocumentAndAdvancesRevision()
    {
        await chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("returns", 0, "a")]);
        var before = await chunks.GetRevisionAsync(Ws);

        await chunks.ReplaceDocumentAsync(Ws, "docs", "returns", []);

        Assert.Empty(await chunks.ListAsync(Ws));
        Assert.Empty(await chunks.GetDocumentHashesAsync(Ws, "docs"));
        Assert.True(await chunks.GetRevisionAsync(Ws) > before);
    }

    [Fact]
    public async Task ReplaceDocument_Embedding_RoundTripsExactly()
    {
        float[] vector = [0.25f, -1.5f, 3.0e-7f, float.MaxValue];
        await chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("returns", 0, "a", embedding: vector)]);

        Assert.Equal(vector, Assert.Single(await chunks.ListAsync(Ws)).Embedding);
    }

    [Fact]
    public async Task ReplaceDocument_FailsHalfWay_OldChunksAndRevisionKept()
    {
        await chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("returns", 0, "old")]);
        var before = await chunks.GetRevisionAsync(Ws);

        // The second chunk repeats the key: the insert fails after the delete ran, inside the transaction.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("returns", 0, "new"), Chunk("returns", 0, "dup")]));

        Assert.Equal("old", Assert.Single(await chunks.ListAsync(Ws)).Text);
        Assert.Equal(before, await chunks.GetRevisionAsync(Ws));
    }

    [Fact]
    public async Task ReplaceDocument_ChunkOfAnotherDocument_RejectedBeforeWriting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => chunks.ReplaceDocumentAsync(Ws, "docs", "returns", [Chunk("shipping", 0, "x")]));
        Assert.Contains("docs/shipping#0", error.Message);
        Assert.Empty(await chunks.ListAsync(Ws));
    }

    [Fact]
    public async Task Chunks_TwoWorkspaces_Isolated()
    {
        await chunks.ReplaceDocumentAsync(Other, "docs", "returns", [Chunk("returns", 0, "theirs", ws: Other)]);

        Assert.Empty(await chunks.ListAsync(Ws));
        Assert.Empty(await chunks.GetDocumentHashesAsync(Ws, "docs"));
        Assert.Equal(0, await chunks.GetRevisionAsync(Ws));
        Assert.Equal(1, await chunks.GetRevisionAsync(Other));
    }

    [Fact]
    public async Task Indexer_SampleFolderTwice_SecondRunUnchangedAndSearchFindsRefundTiming()
    {
        await using var bot = new ServiceCollection().AddLogging()
            .AddSingleton<IKnowledgeChunkStore>(chunks).AddSingleton<IIntentStore>(intents)
            .AddBot().BuildServiceProvider();
        var indexer = bot.GetRequiredService<IKnowledgeIndexer>();
        var source = new KnowledgeSource(Ws, "sample", KnowledgeSourceKinds.Folder, SampleContent.KnowledgeFolder);

        var first = await indexer.SyncFolderAsync(source);
        var second = await indexer.SyncFolderAsync(source);
        var found = await bot.GetRequiredService<IKnowledgeSearch>().SearchAsync(Ws, "how long does a refund take", 3);

        Assert.True(first.Added >= 4, $"added {first.Added}");
        Assert.Equal(new IndexingReport(0, 0, first.Added, 0, 0), second);
        Assert.Equal("Refund timing", found.Passages[0].Chunk.Heading.Split(" › ")[^1]);
        Assert.StartsWith("/knowledge/sample/returns.html#", found.Passages[0].Chunk.Url);
    }
}

public sealed class SqliteBotStoreTests() : BotStoreTests("sqlite");

public sealed class PostgresBotStoreTests() : BotStoreTests("postgres");
