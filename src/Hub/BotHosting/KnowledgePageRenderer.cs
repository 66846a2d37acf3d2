using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// Renders a knowledge page (Markdown or HTML) as a self-contained, script-free HTML page whose heading
/// ids match the anchors the indexer put in citation links.
/// </summary>
internal static class KnowledgePageRenderer
{
    // Raw HTML inside Markdown is shown as text, never run.
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().DisableHtml().Build();

    static readonly string[] Dropped = ["script", "style", "iframe", "frame", "frameset", "object", "embed", "form", "input", "button", "base", "meta", "link", "noscript", "template"];

    public static string Render(string fileName, string content)
    {
        var isHtml = fileName.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
        var document = new HtmlParser().ParseDocument(isHtml ? content : $"<body>{Markdig.Markdown.ToHtml(content, Markdown)}</body>");
        var title = document.Title is { Length: > 0 } t ? t.Trim()
            : document.QuerySelector("h1")?.TextContent.Trim() is { Length: > 0 } h1 ? h1
            : Path.GetFileNameWithoutExtension(fileName);
        var body = document.Body!;
        foreach (var element in body.QuerySelectorAll(string.Join(',', Dropped)).ToList()) element.Remove();
        foreach (var element in body.QuerySelectorAll("*")) Clean(element);
        foreach (var heading in body.QuerySelectorAll("h1,h2,h3,h4,h5,h6"))
            if (string.IsNullOrEmpty(heading.Id)) heading.Id = Anchor(heading.TextContent);

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        page.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        page.Append("<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}:target{background:#fff6cc}</style></head>\n<body>\n<main>");
        page.Append(body.InnerHtml);
        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>No event handlers, no script URLs: the page is content only (the response's CSP forbids scripts as well).</summary>
    static void Clean(IElement element)
    {
        foreach (var attribute in element.Attributes.ToList())
        {
            var name = attribute.Name.ToLowerInvariant();
            var unsafeUrl = name is "href" or "src" or "action" or "formaction" or "xlink:href" or "srcset"
                && !IsSafeUrl(attribute.Value);
            if (name.StartsWith("on", StringComparison.Ordinal) || name == "style" && attribute.Value.Contains("url(", StringComparison.OrdinalIgnoreCase) || unsafeUrl)
                element.RemoveAttribute(attribute.Name);
        }
    }

    static bool IsSafeUrl(string value)
    {
        var text = new string(value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = text.IndexOf(':');
        if (colon < 0 || text.IndexOfAny(['/', '?', '#']) is var stop && stop >= 0 && stop < colon) return true; // relative
        var scheme = text[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto" or "tel";
    }

    /// <summary>The indexer's anchor rule (GitHub style): letters, digits, '_' and '-' kept, spaces become '-'.</summary>
    internal static string Anchor(string heading)
    {
        var builder = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '_' || c == '-') builder.Append(c);
            else if (c == ' ') builder.Append('-');
        }
        return builder.ToString();
    }
}
