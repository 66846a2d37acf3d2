using IntegrationHub.Bot.Handoff;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Configuration;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Routing;

/// <summary>Picks the ticketing connector, queue and priority of a handoff from <see cref="RoutingOptions"/>.</summary>
internal sealed class HandoffRouter(IOptionsMonitor<RoutingOptions> options, ConnectorsConfigurationMonitor connectors, TimeProvider time)
{
    /// <summary>The first matching rule, else the default; null when no ticketing connector is enabled.</summary>
    public HandoffRoute? Route(HandoffPacket packet)
    {
        var now = time.GetUtcNow();
        var routing = options.CurrentValue;
        var rule = routing.Routes.FirstOrDefault(r => Matches(r, packet, now)) ?? routing.Default ?? new RouteRule { Name = "default" };
        var sinks = connectors.Current.EnabledWith(ConnectorCapabilities.TicketSink).ToList();
        var connector = string.IsNullOrWhiteSpace(rule.Connector)
            ? sinks.FirstOrDefault()
            : sinks.FirstOrDefault(c => c.Id == rule.Connector);
        if (connector is null) return null;
        var open = rule.Hours?.IsOpen(now) ?? true;
        return new HandoffRoute(rule.Name.Length > 0 ? rule.Name : rule.Queue ?? "default", connector.Id, rule.Queue,
            string.IsNullOrWhiteSpace(rule.Priority) ? packet.Priority : rule.Priority, open, rule.Hours is null ? null : rule.Hours.NextOpening(now));
    }

    static bool Matches(RouteRule rule, HandoffPacket packet, DateTimeOffset now) =>
        In(rule.Intents, packet.Intent) && In(rule.Segments, Segment(packet)) && In(rule.Languages, packet.Language)
        && In(rule.Channels, packet.Channel) && In(rule.Reasons, packet.Reason)
        && (!rule.OnlyWhenOpen || rule.Hours is null || rule.Hours.IsOpen(now));

    static bool In(List<string> allowed, string? value) =>
        allowed.Count == 0 || (value is not null && allowed.Contains(value, StringComparer.OrdinalIgnoreCase));

    static string? Segment(HandoffPacket packet) =>
        packet.CollectedFields.TryGetValue("segment", out var segment) ? segment
        : packet.Reason == HandoffReasons.VipSegment ? "vip" : null;
}
