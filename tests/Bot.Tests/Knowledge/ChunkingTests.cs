using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Bot.Tests.Knowledge;

public class ChunkingTests
{
    static IReadOnlyList<KnowledgeChunk> Chunk(string content, string type, string? url = "https://help.example.com/page") =>
        DocumentChunker.Chunk("ws", "src", new KnowledgeDocument("page.md", "", content, type, url), s => s);

    [Fact]
    public void Chunk_Markdown_SplitsByHeadingWithPathAndAnchor()
    {
        var chunks = Chunk("""
            # Returns

            Intro to returns.

            ## Refund timing

            Refunds take **5 days**.

            ### Card refunds

            Cards take longer.

            ## Exchanges

            No exchanges.
            """, KnowledgeDocument.Markdown);

        Assert.Equal(["", "Refund timing", "Refund timing › Card refunds", "Exchanges"], chunks.Select(c => c.Heading));
        Assert.All(chunks, c => Assert.Equal("Returns", c.Title));
        Assert.Equal("https://help.example.com/page#refund-timing", chunks[1].Url);
        Assert.Equal("Refunds take 5 days.", chunks[1].Text);
        Assert.Equal([0, 1, 2, 3], chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void Chunk_MarkdownFrontMatter_GivesTitle()
    {
        var chunks = Chunk("---\ntitle: Shipping\n---\n\n## Costs\n\nFree over 50.", KnowledgeDocument.Markdown);

        Assert.Equal("Shipping", Assert.Single(chunks).Title);
    }

    [Fact]
    public void Chunk_Html_SplitsByHeadingAndDropsScriptsAndNavigation()
    {
        var chunks = Chunk("""
            <html><head><title>Contact us</title></head><body>
            <nav>Home | Help</nav>
            <h1>Contact</h1>
            <h2 id="hours">Opening hours</h2><p>Monday to Friday, 9 to 5.</p>
            <h2>Phone line</h2><p>Call <b>0113</b> 496 0000.</p>
            <script>alert('x')</script>
            </body></html>
            """, KnowledgeDocument.Html);

        Assert.Equal(2, chunks.Count);
        Assert.Equal("Contact us", chunks[0].Title);
        Assert.Equal("https://help.example.com/page#hours", chunks[0].Url);
        Assert.Equal("https://help.example.com/page#phone-line", chunks[1].Url);
        Assert.Equal("Call 0113 496 0000.", chunks[1].Text);
        Assert.DoesNotContain(chunks, c => c.Text.Contains("alert") || c.Text.Contains("Home"));
    }

    [Fact]
    public void Chunk_LongSection_SplitsAtSentenceEnds()
    {
        var sentence = "Word " + string.Join(' ', Enumerable.Repeat("word", 18)) + " end.";
        var chunks = Chunk($"# Long\n\n{string.Join(' ', Enumerable.Repeat(sentence, 30))}", KnowledgeDocument.Markdown);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.True(c.Text.Split(' ').Length <= DocumentChunker.MaxWords));
        Assert.All(chunks, c => Assert.EndsWith("end.", c.Text));
    }

    [Fact]
    public void Chunk_RedactsTextBeforeItIsStored()
    {
        var chunks = DocumentChunker.Chunk("ws", "src", new KnowledgeDocument("d", "T", "Card 4111 1111 1111 1111 here.", KnowledgeDocument.PlainText),
            new IntegrationHub.Bot.Redaction.Redactor([]).Redact);

        Assert.Equal("Card **** **** **** 1111 here.", Assert.Single(chunks).Text);
    }
}
