using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Hub.Configuration;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// <c>GET /knowledge/{sourceId}/{page}.html</c>: the pages of folder knowledge sources that have no
/// BaseUrl of their own, so the links the bot cites open. Only files inside the source's folder with a
/// knowledge extension are served; anything else is a 404.
/// </summary>
internal static class KnowledgePages
{
    static readonly string[] Extensions = [".md", ".markdown", ".html", ".htm"];

    public static IEndpointRouteBuilder MapKnowledgePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/knowledge/{sourceId}/{**page}", ServeAsync).WithTags("Knowledge");
        return app;
    }

    static async Task<IResult> ServeAsync(string sourceId, string? page, HttpContext http, IKnowledgeSourceStore sources,
        ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        var source = (await sources.ListAsync(connectors.Current.Workspace, cancellationToken)).FirstOrDefault(s => s.Id == sourceId);
        if (source is not { Kind: KnowledgeSourceKinds.Folder, Enabled: true, Location.Length: > 0 } || !string.IsNullOrEmpty(source.BaseUrl))
            return Results.Problem(detail: $"knowledge source '{sourceId}' has no pages served by the hub", statusCode: 404);
        if (Resolve(source.Location, page ?? "") is not { } file)
            return Results.Problem(detail: $"page '{page}' not found in knowledge source '{sourceId}'", statusCode: 404);

        var html = KnowledgePageRenderer.Render(file, await File.ReadAllTextAsync(file, cancellationToken));
        // Content only: no script can run even if a page tried, and the browser must not guess the type.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// The file behind <c>{page}.html</c> (a <c>.md</c>, <c>.markdown</c>, <c>.html</c> or <c>.htm</c> of the same
    /// name), or null. Dot segments, hidden names, backslashes and anything resolving outside the folder are refused.
    /// </summary>
    internal static string? Resolve(string folder, string page)
    {
        if (!page.EndsWith(".html", StringComparison.OrdinalIgnoreCase)) return null;
        var segments = page.Split('/');
        if (segments.Any(s => s.Length == 0 || s.StartsWith('.') || s.Contains('\\') || s.Contains(':') || s.Contains('\0'))) return null;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        var stem = Path.GetFullPath(Path.Combine(root, page[..^".html".Length]));
        if (!stem.StartsWith(root, StringComparison.Ordinal)) return null;
        foreach (var extension in Extensions)
        {
            var candidate = stem + extension;
            if (!File.Exists(candidate)) continue;
            // A link inside the folder that points elsewhere is outside too.
            var target = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
            return target.StartsWith(root, StringComparison.Ordinal) ? candidate : null;
        }
        return null;
    }
}
