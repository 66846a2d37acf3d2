using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.ServiceNow;

public static class ServiceNowServiceCollectionExtensions
{
    /// <summary>Registers the <c>servicenow</c> connector type. Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddServiceNowConnector(this IServiceCollection services) =>
        services.AddConnectorType(ServiceNowConnector.ManifestResource, (config, http) => new ServiceNowConnector(config, http));
}
