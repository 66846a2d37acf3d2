using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Configuration;

namespace IntegrationHub.Hub.Conversations;

/// <summary>Who can answer right now, from the enabled connectors.</summary>
public sealed record Availability(bool BotEnabled, bool HumansAvailable)
{
    /// <summary>No bot and no human: the channel must say so and take a message instead.</summary>
    public bool Offline => !BotEnabled && !HumansAvailable;

    /// <remarks>The bot is the built-in engine; an <c>openai-compatible</c> model only assists it, so a model alone answers no one.</remarks>
    public static Availability From(ConnectorsConfigurationMonitor monitor) => new(
        monitor.Current.EnabledOfType(IntegrationHub.Bot.BotManifests.BuiltInType).Any(),
        monitor.Current.EnabledWith(ConnectorCapabilities.TicketSink).Any());
}
