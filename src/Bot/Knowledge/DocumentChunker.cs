using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>Turns a <see cref="KnowledgeDocument"/> into heading-sized chunks with citation links.</summary>
internal static class DocumentChunker
{
    /// <summary>Bumped when chunking changes, so every document re-indexes once.</summary>
    public const string Version = "chunker-1";
    /// <summary>Sections longer than this are split at sentence ends: long passages blur BM25 and make poor citations.</summary>
    public const int MaxWords = 180;

    public static IReadOnlyList<KnowledgeChunk> Chunk(string workspaceId, string sourceId, KnowledgeDocument document, Func<string, string> redact)
    {
        var parsed = document.ContentType switch
        {
            KnowledgeDocument.Markdown => MarkdownParser.Parse(document.Content),
            KnowledgeDocument.Html => HtmlParser.Parse(document.Content),
            _ => new ParsedDocument(null, [new Section("", null, Whitespace.Collapse(document.Content))]),
        };
        var title = !string.IsNullOrWhiteSpace(document.Title) ? document.Title.Trim()
            : parsed.Title ?? Path.GetFileNameWithoutExtension(document.Id);
        var hash = Hash(document);
        var chunks = new List<KnowledgeChunk>();
        foreach (var section in parsed.Sections)
        {
            var url = document.Url is null ? null : section.Anchor is null ? document.Url : $"{document.Url}#{section.Anchor}";
            foreach (var piece in Split(redact(section.Text)))
                chunks.Add(new KnowledgeChunk(workspaceId, sourceId, document.Id, chunks.Count, redact(title), redact(section.Heading), piece, url, hash));
        }
        return chunks;
    }

    public static string Hash(KnowledgeDocument document)
    {
        var text = $"{Version}\n{document.Title}\n{document.Url}\n{document.ContentType}\n{document.Content}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    static IEnumerable<string> Split(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= MaxWords)
        {
            if (text.Length > 0) yield return text;
            yield break;
        }
        var sentences = Sentences.Split(text);
        var current = new StringBuilder();
        var count = 0;
        foreach (var sentence in sentences)
        {
            var n = sentence.Count(c => c == ' ') + 1;
            if (count > 0 && count + n > MaxWords)
            {
                yield return current.ToString().Trim();
                current.Clear();
                count = 0;
            }
            current.Append(sentence).Append(' ');
            count += n;
        }
        if (count > 0) yield return current.ToString().Trim();
    }
}
