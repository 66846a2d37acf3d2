using System.Text;
using AngleSharp.Dom;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>Splits HTML into sections by heading, with AngleSharp; scripts, styles and navigation are dropped.</summary>
internal static class HtmlParser
{
    static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "nav", "template", "head", "svg", "form" };
    static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "br", "tr", "section", "article", "pre", "blockquote", "table", "ul", "ol", "dd", "dt", "main", "header", "footer", "aside", "hr",
    };

    public static ParsedDocument Parse(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        string? title = string.IsNullOrWhiteSpace(document.Title) ? null : Whitespace.OneLine(document.Title);
        var titleFromH1 = title is null;
        var leadingH1Seen = false;
        var path = new HeadingPath();
        var sections = new List<Section>();
        var heading = "";
        string? anchor = null;
        var body = new StringBuilder();

        void Flush()
        {
            var text = Whitespace.Collapse(body.ToString());
            if (text.Length > 0) sections.Add(new Section(heading, anchor, text));
            body.Clear();
        }

        void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText text) { body.Append(text.Data.Replace('\n', ' ')); continue; }
                if (child is not IElement element || Skipped.Contains(element.LocalName)) continue;
                if (element.LocalName.Length == 2 && element.LocalName[0] == 'h' && char.IsAsciiDigit(element.LocalName[1]))
                {
                    var level = element.LocalName[1] - '0';
                    var headingText = Whitespace.OneLine(element.TextContent);
                    if (headingText.Length == 0) continue;
                    // The page's leading H1 is its title (when <title> is missing), not a section.
                    if (level == 1 && !leadingH1Seen && sections.Count == 0 && heading.Length == 0 && string.IsNullOrWhiteSpace(body.ToString()))
                    {
                        leadingH1Seen = true;
                        if (titleFromH1) title = headingText;
                        continue;
                    }
                    Flush();
                    heading = path.Push(level, headingText);
                    anchor = element.Id is { Length: > 0 } id ? id : Slug.From(headingText);
                    continue;
                }
                var block = Blocks.Contains(element.LocalName);
                if (block) body.Append("\n\n");
                Walk(element);
                if (block) body.Append("\n\n");
            }
        }

        if (document.Body is not null) Walk(document.Body);
        Flush();
        return new ParsedDocument(title, sections);
    }
}
