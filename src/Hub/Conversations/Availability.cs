using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Configuration;

namespace IntegrationHub.Hub.Conversations;

/// <summary>Who can answer right now, from the enabled connectors.</summary>
public sealed record Availability(bool BotEnabled, bool HumansAvailable)
{
    /// <summary>No bot and no human: the channel must say so and take a message instead.</summary>
    public bool Offline => !BotEnabled && !HumansAvailable;

    public static Availability From(ConnectorsConfigurationMonitor monitor) => new(
        monitor.Current.EnabledWith(ConnectorCapabilities.Bot).Any(),
        monitor.Current.EnabledWith(ConnectorCapabilities.TicketSink).Any());
}
