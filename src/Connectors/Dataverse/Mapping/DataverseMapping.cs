namespace IntegrationHub.Connectors.Dataverse.Mapping;

/// <summary>
/// Hub ↔ Dataverse incident values: prioritycode (1 High, 2 Normal, 3 Low), statecode (0 Active,
/// 1 Resolved, 2 Cancelled) with statuscode reasons; all overridable where orgs customise them.
/// </summary>
internal static class DataverseMapping
{
    public const int Active = 0;
    public const int Resolved = 1;
    public const int Cancelled = 2;

    static readonly Dictionary<string, int> DefaultPriorities = new(StringComparer.Ordinal) { ["low"] = 3, ["normal"] = 2, ["high"] = 1, ["urgent"] = 1 };

    public static int Priority(string hub, DataverseOptions options) =>
        options.Priorities.TryGetValue(hub, out var value) ? value : DefaultPriorities.GetValueOrDefault(hub, 2);

    public static string HubStatus(int statecode, int? statuscode, DataverseOptions options) => statecode switch
    {
        Resolved => "solved",
        Cancelled => "closed",
        _ when statuscode == options.PendingStatusCode => "pending",
        _ => "open",
    };

    /// <summary>An OData string literal: single quotes, <c>'</c> doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An alternate-key segment, <c>incidents(ihub_conversationid='9f2c')</c>, percent-encoded for the path.</summary>
    public static string KeySegment(string entitySet, string key, string value) => $"{entitySet}({key}={Uri.EscapeDataString(Literal(value))})";
}
