using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Zendesk;

public static class ZendeskServiceCollectionExtensions
{
    /// <summary>Registers the <c>zendesk</c> connector type (manifest and factory). Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddZendeskConnector(this IServiceCollection services) =>
        services.AddConnectorType(ZendeskConnector.ManifestResource, (config, http) => new ZendeskConnector(config, http));
}
