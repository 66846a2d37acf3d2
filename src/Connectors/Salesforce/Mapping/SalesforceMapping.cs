using System.Text;

namespace IntegrationHub.Connectors.Salesforce.Mapping;

/// <summary>
/// Hub ↔ Salesforce values. Case Status and Priority are org-configurable picklists: the defaults are the
/// standard values (plus "On Hold"), every one overridable per instance.
/// </summary>
internal static class SalesforceMapping
{
    /// <summary>CaseComment.CommentBody holds at most 4,000 bytes.</summary>
    public const int CommentBodyBytes = 4000;
    /// <summary>Case.Description is a 32,000-character long text area.</summary>
    public const int DescriptionChars = 32000;

    static readonly Dictionary<string, string> DefaultStatuses = new(StringComparer.Ordinal)
    {
        ["new"] = "New",
        ["open"] = "Working",
        ["pending"] = "On Hold",
        ["solved"] = "Closed",
        ["closed"] = "Closed",
    };

    static readonly Dictionary<string, string> DefaultPriorities = new(StringComparer.Ordinal)
    {
        ["low"] = "Low",
        ["normal"] = "Medium",
        ["high"] = "High",
        ["urgent"] = "High",
    };

    public static string Status(string hub, SalesforceOptions options) =>
        options.Statuses.GetValueOrDefault(hub) ?? DefaultStatuses.GetValueOrDefault(hub) ?? DefaultStatuses["open"];

    public static string Priority(string hub, SalesforceOptions options) =>
        options.Priorities.GetValueOrDefault(hub) ?? DefaultPriorities.GetValueOrDefault(hub) ?? DefaultPriorities["normal"];

    /// <summary>A Case Status value → hub status (first configured match, most specific first).</summary>
    public static string HubStatus(string value, SalesforceOptions options)
    {
        foreach (var hub in new[] { "solved", "closed", "pending", "open", "new" })
            if (string.Equals(Status(hub, options), value, StringComparison.OrdinalIgnoreCase)) return hub == "new" ? "open" : hub;
        return "open";
    }

    /// <summary>A SOQL string literal: single quotes with <c>'</c> and <c>\</c> escaped.</summary>
    public static string Soql(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Splits text into pieces of at most <paramref name="maxBytes"/> UTF-8 bytes without cutting a character.</summary>
    public static IEnumerable<string> Chunks(string text, int maxBytes)
    {
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(text.Length - start, maxBytes);
            while (Encoding.UTF8.GetByteCount(text.AsSpan(start, length)) > maxBytes) length = length * 9 / 10;
            if (length < text.Length - start && char.IsHighSurrogate(text[start + length - 1])) length--;
            yield return text.Substring(start, length);
            start += length;
        }
    }
}
