using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Freshdesk;

public static class FreshdeskServiceCollectionExtensions
{
    /// <summary>Registers the <c>freshdesk</c> connector type. Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddFreshdeskConnector(this IServiceCollection services) =>
        services.AddConnectorType(FreshdeskConnector.ManifestResource, (config, http) => new FreshdeskConnector(config, http));
}
