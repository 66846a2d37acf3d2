using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors;

/// <summary>Registers the connector contract and every built-in connector type.</summary>
public static class ConnectorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IConnectorRegistry"/>, the shared HTTP pipeline factory and, for every
    /// built-in type, its <see cref="ConnectorManifest"/> (build the hub's <c>ConnectorCatalog</c> from
    /// all registered manifests) and its <see cref="IConnectorFactory"/>. The registry builds instances
    /// from the <c>ConnectorsConfiguration</c> registered in DI.
    /// </summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services)
    {
        services.AddConnectorCore();
        foreach (var (manifest, create) in BuiltInConnectors.All) services.AddConnectorType(manifest, create);
        return services;
    }

    internal static IServiceCollection AddConnectorCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ConnectorHttpFactory(sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IConnectorRegistry, ConnectorRegistry>();
        return services;
    }

    internal static IServiceCollection AddConnectorType(this IServiceCollection services, ConnectorManifest manifest,
        Func<Configuration.ConnectorConfig, ConnectorHttpFactory, IConnector> create)
    {
        services.AddConnectorCore();
        if (services.Any(d => d.ServiceType == typeof(ConnectorManifest) && d.ImplementationInstance is ConnectorManifest m && m.Id == manifest.Id))
            return services;
        services.AddSingleton(manifest);
        services.AddSingleton<IConnectorFactory>(sp => new DelegateConnectorFactory(manifest, config => create(config, sp.GetRequiredService<ConnectorHttpFactory>())));
        return services;
    }
}
