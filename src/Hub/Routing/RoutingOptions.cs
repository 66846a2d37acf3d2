namespace IntegrationHub.Hub.Routing;

/// <summary>
/// The <c>Hub:Routing</c> section: ordered rules, first match wins, then <see cref="Default"/>.
/// With no rules and no default, handoffs go to the first enabled ticketing connector.
/// </summary>
public sealed class RoutingOptions
{
    public List<RouteRule> Routes { get; set; } = [];

    public RouteRule? Default { get; set; }
}
