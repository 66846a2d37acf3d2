using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>Splits Markdown into sections by heading, with Markdig; the first H1 (or front-matter title) is the title.</summary>
internal static class MarkdownParser
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    public static ParsedDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        string? title = null;
        var path = new HeadingPath();
        var sections = new List<Section>();
        var heading = "";
        string? anchor = null;
        var body = new StringBuilder();

        void Flush()
        {
            var text = PlainText(body.ToString());
            if (text.Length > 0) sections.Add(new Section(heading, anchor, text));
            body.Clear();
        }

        foreach (var block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    title ??= FrontMatterTitle(markdown.Substring(yaml.Span.Start, yaml.Span.Length));
                    break;
                case HeadingBlock h:
                    var text = InlineText(h.Inline);
                    // The page's leading H1 is its title (unless front matter gave one), not a section.
                    if (h.Level == 1 && sections.Count == 0 && body.Length == 0 && heading.Length == 0)
                    {
                        title ??= text;
                        break;
                    }
                    Flush();
                    heading = path.Push(h.Level, text);
                    anchor = Slug.From(text);
                    break;
                default:
                    body.Append(markdown, block.Span.Start, block.Span.Length).Append("\n\n");
                    break;
            }
        }
        Flush();
        return new ParsedDocument(title, sections);
    }

    static string PlainText(string markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown)) return "";
        return Whitespace.Collapse(Markdown.ToPlainText(markdown, Pipeline));
    }

    static string InlineText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var builder = new StringBuilder();
        foreach (var child in inline.Descendants())
        {
            switch (child)
            {
                case LiteralInline literal: builder.Append(literal.Content.ToString()); break;
                case CodeInline code: builder.Append(code.Content); break;
            }
        }
        return builder.ToString().Trim();
    }

    static string? FrontMatterTitle(string yaml)
    {
        foreach (var line in yaml.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("title:", StringComparison.OrdinalIgnoreCase))
                return trimmed[6..].Trim().Trim('"', '\'');
        }
        return null;
    }
}
