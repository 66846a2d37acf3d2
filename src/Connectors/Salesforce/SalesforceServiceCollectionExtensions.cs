using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Salesforce;

/// <summary>Registers the Salesforce connector type.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>Registers the <c>salesforce</c> connector type (manifest and factory). Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddSalesforceConnector(this IServiceCollection services) =>
        services.AddConnectorType(SalesforceConnector.ManifestResource, (config, http) => new SalesforceConnector(config, http));
}
