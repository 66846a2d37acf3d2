using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Dataverse;

/// <summary>Registers the Dataverse connector type.</summary>
public static class DataverseServiceCollectionExtensions
{
    /// <summary>Registers the <c>dataverse</c> connector type (manifest and factory). Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddDataverseConnector(this IServiceCollection services) =>
        services.AddConnectorType(DataverseConnector.ManifestResource, (config, http) => new DataverseConnector(config, http));
}
