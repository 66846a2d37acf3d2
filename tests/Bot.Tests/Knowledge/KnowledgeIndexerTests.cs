using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Bot.Tests.Fakes;

namespace IntegrationHub.Bot.Tests.Knowledge;

public class KnowledgeIndexerTests
{
    static KnowledgeDocument Doc(string id, string text) => new(id, $"Title {id}", text, KnowledgeDocument.Markdown, $"https://x/{id}");

    [Fact]
    public async Task SyncAsync_SecondRunWithOneChange_RewritesOnlyThatDocument()
    {
        var store = new InMemoryChunkStore();
        var indexer = new KnowledgeIndexer(store, new Redactor([]));
        await indexer.SyncAsync("ws", "s", new[] { Doc("a", "alpha"), Doc("b", "beta"), Doc("c", "gamma") }.ToAsyncEnumerable());
        store.Writes.Clear();

        var report = await indexer.SyncAsync("ws", "s", new[] { Doc("a", "alpha"), Doc("b", "beta changed") }.ToAsyncEnumerable());

        Assert.Equal(new IndexingReport(0, 1, 1, 1, 1), report);
        Assert.Equal(["b", "c"], store.Writes);
        Assert.Equal(["a", "b"], (await store.ListAsync("ws")).Select(c => c.DocumentId).Order());
    }

    [Fact]
    public async Task SyncFolderAsync_SampleKnowledge_IndexesMarkdownAndHtmlWithLinks()
    {
        var store = new InMemoryChunkStore();
        var indexer = new KnowledgeIndexer(store, new Redactor([]));

        var report = await indexer.SyncFolderAsync(new KnowledgeSource("ws", "sample", KnowledgeSourceKinds.Folder, SampleContent.KnowledgeFolder));
        var chunks = await store.ListAsync("ws");

        Assert.Equal(4, report.Added);
        Assert.Contains(chunks, c => c.DocumentId == "contact.html" && c.Heading == "Opening hours" && c.Url == "/knowledge/sample/contact.html#opening-hours");
        Assert.Contains(chunks, c => c.DocumentId == "returns.md" && c.Heading == "Refund timing" && c.Url == "/knowledge/sample/returns.html#refund-timing");
    }

    [Fact]
    public async Task UpsertAsync_FaqEntry_IsOneChunkTitledByQuestion()
    {
        var store = new InMemoryChunkStore();
        var indexer = new KnowledgeIndexer(store, new Redactor([]));

        await indexer.UpsertAsync("ws", "faq", new FaqEntry("f1", "Do you sell gift cards?", "Yes, from 10 to 200 pounds.").ToDocument());

        var chunk = Assert.Single(await store.ListAsync("ws"));
        Assert.Equal("Do you sell gift cards?", chunk.Title);
        Assert.Equal("faq/f1#0", chunk.Id);
    }
}
