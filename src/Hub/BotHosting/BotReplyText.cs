using IntegrationHub.Bot;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// The stored, plain-text body of a bot reply: the bot's text with its citations readable on any
/// channel ("Source: Returns › Refund timing (/knowledge/sample/returns.html#refund-timing)").
/// </summary>
internal static class BotReplyText
{
    public static string Format(BotReply reply, string? publicBaseUrl)
    {
        var text = reply.Text.TrimEnd();
        var missing = new List<string>();
        foreach (var citation in reply.Citations)
        {
            if (citation.Url is not { Length: > 0 } url)
                continue;
            var link = Absolute(url, publicBaseUrl);
            if (text.Contains(link, StringComparison.Ordinal)) continue;
            // The built-in engine names a page without its link when the link is relative: add it there.
            var bare = $"Source: {citation.Title}";
            var at = text.LastIndexOf(bare, StringComparison.Ordinal);
            if (at >= 0 && (at + bare.Length == text.Length || text[at + bare.Length] == '\n'))
                text = text.Insert(at + bare.Length, $" ({link})");
            else
                missing.Add($"{citation.Title} ({link})");
        }
        return missing.Count == 0 ? text : $"{text}\n\nSources: {string.Join("; ", missing)}";
    }

    /// <summary>Relative hub links become absolute when the hub knows its public address.</summary>
    public static string Absolute(string url, string? publicBaseUrl) =>
        url.StartsWith('/') && !string.IsNullOrWhiteSpace(publicBaseUrl) ? publicBaseUrl.TrimEnd('/') + url : url;

    public static IReadOnlyList<Citation> Links(IReadOnlyList<Citation> citations, string? publicBaseUrl) =>
        citations.Select(c => c.Url is null ? c : c with { Url = Absolute(c.Url, publicBaseUrl) }).ToList();
}
