using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHub.Connectors.JiraServiceManagement.Mapping;

/// <summary>Hub ↔ Jira values: workflow status names and priority names (defaults of the JSM IT service template, overridable per instance).</summary>
internal static class JiraServiceManagementMapping
{
    static readonly Dictionary<string, string> DefaultStatuses = new(StringComparer.Ordinal)
    {
        ["open"] = "Waiting for support",
        ["pending"] = "Waiting for customer",
        ["solved"] = "Resolved",
        ["closed"] = "Closed",
    };

    static readonly Dictionary<string, string> DefaultPriorities = new(StringComparer.Ordinal)
    {
        ["low"] = "Low",
        ["normal"] = "Medium",
        ["high"] = "High",
        ["urgent"] = "Highest",
    };

    public static string StatusName(string hub, JiraServiceManagementOptions options) =>
        options.Statuses.GetValueOrDefault(hub) ?? DefaultStatuses.GetValueOrDefault(hub) ?? DefaultStatuses["open"];

    public static string PriorityName(string hub, JiraServiceManagementOptions options) =>
        options.Priorities.GetValueOrDefault(hub) ?? DefaultPriorities.GetValueOrDefault(hub) ?? DefaultPriorities["normal"];

    /// <summary>A workflow status name → hub status; unknown names of the "done" category count as solved, others as open.</summary>
    public static string HubStatus(string statusName, string? categoryKey, JiraServiceManagementOptions options)
    {
        foreach (var hub in new[] { "solved", "closed", "pending", "open" })
            if (string.Equals(StatusName(hub, options), statusName, StringComparison.OrdinalIgnoreCase)) return hub;
        return categoryKey == "done" ? "solved" : "open";
    }

    /// <summary>A JQL string literal: double quotes with <c>"</c> and <c>\</c> escaped.</summary>
    public static string JqlString(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>JQL's name for a custom field: <c>customfield_10050</c> → <c>cf[10050]</c>.</summary>
    public static string JqlField(string customFieldId) => $"cf[{customFieldId["customfield_".Length..]}]";

    /// <summary>Comment bodies arrive as plain strings (webhooks, API v2 shape) or Atlassian Document Format (API v3): plain text either way.</summary>
    public static string PlainText(JsonNode? body)
    {
        if (body is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        var text = new StringBuilder();
        Collect(body, text);
        return text.ToString().Trim();
    }

    static void Collect(JsonNode? node, StringBuilder text)
    {
        if (node is not JsonObject o) return;
        if (o["type"]?.ToString() == "text") text.Append(o["text"]?.ToString());
        if (o["content"] is JsonArray children)
            foreach (var child in children) Collect(child, text);
        if (o["type"]?.ToString() is "paragraph" or "hardBreak") text.Append('\n');
    }
}
