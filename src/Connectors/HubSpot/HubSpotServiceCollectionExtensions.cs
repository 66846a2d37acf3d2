using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.HubSpot;

public static class HubSpotServiceCollectionExtensions
{
    /// <summary>Registers the <c>hubspot</c> connector type. Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddHubSpotConnector(this IServiceCollection services) =>
        services.AddConnectorType(HubSpotConnector.ManifestResource, (config, http) => new HubSpotConnector(config, http));
}
