namespace IntegrationHub.Hub.Routing;

/// <summary>
/// One routing rule. Every non-empty condition list must contain the handoff's value (case-insensitive);
/// empty lists match anything. Matching lists are ANDed.
/// </summary>
public sealed class RouteRule
{
    /// <summary>Shown in events and logs.</summary>
    public string Name { get; set; } = "";

    /// <summary>Ticketing connector instance id; empty: the first enabled ticketing connector.</summary>
    public string? Connector { get; set; }

    /// <summary>Hub queue name; connectors map it to a group (e.g. Zendesk <c>groups</c>).</summary>
    public string? Queue { get; set; }

    /// <summary>low | normal | high | urgent; empty keeps the priority the bot chose.</summary>
    public string? Priority { get; set; }

    public List<string> Intents { get; set; } = [];

    /// <summary>Customer segments (the <c>segment</c> collected field; a VIP handoff counts as <c>vip</c>).</summary>
    public List<string> Segments { get; set; } = [];

    public List<string> Languages { get; set; } = [];

    public List<string> Channels { get; set; } = [];

    /// <summary>Handoff reasons (customer-request, frustration, human-only-intent…).</summary>
    public List<string> Reasons { get; set; } = [];

    /// <summary>The queue's staffed hours; null: always staffed.</summary>
    public BusinessHours? Hours { get; set; }

    /// <summary>Match only while <see cref="Hours"/> are open (so a later rule can take after-hours handoffs).</summary>
    public bool OnlyWhenOpen { get; set; }
}
