using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Bot.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot.Tests.Knowledge;

public class RetrievalTests
{
    static async Task<IReadOnlyList<KnowledgeChunk>> SampleChunks()
    {
        var store = new InMemoryChunkStore();
        await new KnowledgeIndexer(store, new Redactor([])).SyncFolderAsync(new KnowledgeSource("ws", "sample", KnowledgeSourceKinds.Folder, SampleContent.KnowledgeFolder));
        return await store.ListAsync("ws");
    }

    [Theory]
    [InlineData("how long do refunds take", "Refund timing")]
    [InlineData("how much does express delivery cost", "Shipping costs")]
    [InlineData("I forgot my password", "Resetting your password")]
    [InlineData("when is customer care open", "Opening hours")]
    [InlineData("how long do refnds take", "Refund timing")]
    public async Task Search_SampleQuestion_RanksTheRightSectionFirst(string question, string heading)
    {
        var index = new KnowledgeIndex(await SampleChunks());

        var top = index.Search(question, 3);

        Assert.Equal(heading, top[0].Chunk.Heading);
        Assert.True(top[0].Confidence >= 0.6, $"confidence {top[0].Confidence}");
        Assert.StartsWith(top[0].Chunk.Title + " › ", top[0].Chunk.CitationTitle);
    }

    [Fact]
    public async Task Search_ChunksInDifferentOrder_GivesIdenticalResults()
    {
        var chunks = await SampleChunks();
        var a = new KnowledgeIndex(chunks);
        var b = new KnowledgeIndex(chunks.Reverse().ToList());

        foreach (var question in new[] { "delivery", "refund card", "account email change", "order" })
            Assert.Equal(a.Search(question, 10).Select(p => (p.Chunk.Id, p.Score)), b.Search(question, 10).Select(p => (p.Chunk.Id, p.Score)));
    }

    [Fact]
    public async Task Search_UnrelatedQuestion_HasLowConfidence()
    {
        var index = new KnowledgeIndex(await SampleChunks());

        var top = index.Search("what is the airspeed of an unladen swallow", 3);

        Assert.True(top.Count == 0 || top[0].Confidence < 0.5, $"confidence {top.FirstOrDefault()?.Confidence}");
    }

    [Fact]
    public async Task SearchAsync_StoreChanges_ReindexesOnNextQuery()
    {
        var store = new InMemoryChunkStore();
        var indexer = new KnowledgeIndexer(store, new Redactor([]));
        var retriever = new KnowledgeRetriever(store, Options.Create(new BotOptions()), TimeProvider.System);
        Assert.Empty((await retriever.SearchAsync("ws", "gift cards")).Passages);

        await indexer.UpsertAsync("ws", "faq", new FaqEntry("f1", "Do you sell gift cards?", "Yes.").ToDocument());

        Assert.Equal("faq/f1#0", (await retriever.SearchAsync("ws", "gift cards")).Passages[0].Chunk.Id);
    }

    [Fact]
    public void Compose_ConfidentPassage_QuotesItAndCitesTitleAndLink()
    {
        var chunk = new KnowledgeChunk("ws", "s", "returns.md", 1, "Returns and refunds", "Refund timing",
            "We refund to your original payment method within 5 working days.", "https://help.example.com/returns.html#refund-timing", "h");

        var answer = GroundedAnswerComposer.Compose("when do I get my refund", new RetrievalResult([new RetrievedPassage(chunk, 3, 0.9)]), 0.6);

        Assert.NotNull(answer);
        Assert.StartsWith("We refund to your original payment method within 5 working days.", answer.Text);
        Assert.Contains("Source: Returns and refunds › Refund timing (https://help.example.com/returns.html#refund-timing)", answer.Text);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal("https://help.example.com/returns.html#refund-timing", citation.Url);
    }

    [Fact]
    public void Compose_PassageBelowThreshold_RefusesToAnswer()
    {
        var chunk = new KnowledgeChunk("ws", "s", "d", 0, "T", "", "Something loosely related.", null, "h");

        Assert.Null(GroundedAnswerComposer.Compose("q", new RetrievalResult([new RetrievedPassage(chunk, 1, 0.3)]), 0.6));
        Assert.Null(GroundedAnswerComposer.Compose("q", RetrievalResult.Empty, 0.6));
    }

    [Fact]
    public void Extract_LongPassage_KeepsSentencesAboutTheQuestionInOrder()
    {
        var filler = string.Join(' ', Enumerable.Range(0, 12).Select(i => $"Sentence number {i} talks about unrelated warehouse matters at length today."));
        var passage = $"{filler} Refunds reach your card within five days. {filler}";

        var text = GroundedAnswerComposer.Extract("how fast are refunds to my card", passage);

        Assert.StartsWith("Refunds reach your card within five days.", text);
        Assert.True(text.Split(' ').Length < 40);
    }
}
