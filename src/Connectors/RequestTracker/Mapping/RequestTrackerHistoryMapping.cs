using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.RequestTracker.Mapping;

/// <summary>RT transactions (REST2 JSON) → hub events: Correspond is a public reply, Comment an internal note, Status a status change.</summary>
internal static partial class RequestTrackerHistoryMapping
{
    /// <summary>The transaction types the hub acts on; everything else (EmailRecord, CustomField, …) is never read.</summary>
    public static readonly IReadOnlyList<string> Types = ["Correspond", "Comment", "Status"];

    /// <summary>Stable across reads, so a transaction read twice is stored once.</summary>
    public static string EventId(long transactionId) => $"rt-txn-{transactionId}";

    /// <summary>The creator's user name (REST2 shows it as the creator's <c>id</c>).</summary>
    public static string? CreatorName(JsonNode? transaction) =>
        transaction?["Creator"] is JsonObject creator ? (creator["Name"] ?? creator["id"])?.ToString() : null;

    /// <summary>The name an agent shows to customers: the real name, else the user name.</summary>
    public static string? DisplayName(JsonNode? transaction) =>
        transaction?["Creator"] is JsonObject creator
            ? new[] { creator["RealName"]?.ToString(), creator["Name"]?.ToString(), creator["id"]?.ToString() }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim()
            : null;

    /// <summary>
    /// The event for one transaction, or null when the hub does not act on it (an unknown lifecycle
    /// status, a reply with no text). <paramref name="body"/> is the text of a Correspond or Comment.
    /// </summary>
    public static WebhookEvent? ToEvent(JsonObject transaction, string ticketId, string? body)
    {
        var id = long.Parse(transaction["id"]!.ToString(), CultureInfo.InvariantCulture);
        var at = DateTimeOffset.TryParse(transaction["Created"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? created : DateTimeOffset.UnixEpoch;
        return transaction["Type"]?.ToString() switch
        {
            "Correspond" when !string.IsNullOrWhiteSpace(body) => new WebhookEvent(WebhookEventKind.AgentPublicReply, EventId(id), at, ticketId, Body: body, AuthorName: DisplayName(transaction)),
            "Comment" when !string.IsNullOrWhiteSpace(body) => new WebhookEvent(WebhookEventKind.InternalNote, EventId(id), at, ticketId, Body: body, AuthorName: DisplayName(transaction)),
            "Status" when HubStatus(transaction["NewValue"]?.ToString()) is { } status => new WebhookEvent(WebhookEventKind.StatusChanged, EventId(id), at, ticketId, AuthorName: DisplayName(transaction), Status: status),
            _ => null,
        };
    }

    /// <summary>Default lifecycle → hub status; a custom lifecycle's own statuses are not guessed at (null).</summary>
    public static string? HubStatus(string? rt) => rt?.ToLowerInvariant() switch
    {
        "new" or "open" => "open",
        "stalled" => "pending",
        "resolved" => "solved",
        "rejected" or "deleted" => "closed",
        _ => null,
    };

    /// <summary>
    /// The message text of a transaction's MIME parts (REST2 items with <c>Content</c> and <c>Headers</c>):
    /// the first inline text/plain part, else the first inline text/html part as plain text. File
    /// attachments are not the message.
    /// </summary>
    public static string? MessageText(IEnumerable<JsonNode?> parts)
    {
        var inline = parts.OfType<JsonObject>()
            .Select(p => (Headers: p["Headers"]?.ToString() ?? "", Content: p["Content"]?.ToString()))
            .Where(p => !string.IsNullOrWhiteSpace(p.Content) && !Header(p.Headers, "Content-Disposition").StartsWith("attachment", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (inline.FirstOrDefault(p => ContentType(p.Headers) == "text/plain") is { Content: { } plain }) return plain.Trim();
        if (inline.FirstOrDefault(p => ContentType(p.Headers) == "text/html") is { Content: { } html }) return HtmlToText(html);
        return null;
    }

    static string ContentType(string headers) => Header(headers, "Content-Type").Split(';')[0].Trim().ToLowerInvariant();

    static string Header(string headers, string name) =>
        headers.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim() ?? "";

    /// <summary>RT's rich-text editor writes HTML: keep its line breaks, drop its markup.</summary>
    public static string HtmlToText(string html)
    {
        // Newlines in HTML source are only spaces; the tags say where lines break.
        var text = LineBreaks().Replace(html.Replace('\r', ' ').Replace('\n', ' '), "\n");
        text = WebUtility.HtmlDecode(Tags().Replace(text, ""));
        text = string.Join("\n", text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim()));
        return BlankLines().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<\s*br\s*/?\s*>|</\s*(p|div|li|h[1-6]|tr|blockquote)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\u00a0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
