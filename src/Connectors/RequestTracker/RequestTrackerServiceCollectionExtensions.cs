using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.RequestTracker;

public static class RequestTrackerServiceCollectionExtensions
{
    /// <summary>Registers the <c>requesttracker</c> connector type. Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddRequestTrackerConnector(this IServiceCollection services) =>
        services.AddConnectorType(RequestTrackerConnector.ManifestResource, (config, http) => new RequestTrackerConnector(config, http));
}
