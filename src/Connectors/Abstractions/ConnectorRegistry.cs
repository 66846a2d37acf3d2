using IntegrationHub.Connectors.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// Builds one instance per enabled <c>connectors.json</c> entry through the factory of its type and
/// answers "all instances with capability X". The first snapshot is the <see cref="ConnectorsConfiguration"/>
/// registered in DI (empty when none); <see cref="Reload"/> replaces it.
/// </summary>
internal sealed class ConnectorRegistry : IConnectorRegistry, IDisposable
{
    readonly Dictionary<string, IConnectorFactory> factories;
    readonly IServiceProvider services;
    readonly Lock sync = new();
    IReadOnlyList<IConnector>? instances;

    public ConnectorRegistry(IEnumerable<IConnectorFactory> factories, IServiceProvider services)
    {
        this.factories = factories.GroupBy(f => f.Manifest.Id).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        this.services = services;
    }

    public IReadOnlyList<IConnector> All
    {
        get
        {
            if (instances is { } built) return built;
            lock (sync)
                return instances ??= Build(services.GetService<ConnectorsConfiguration>() ?? ConnectorsConfiguration.Empty);
        }
    }

    public IReadOnlyList<T> With<T>() where T : class => All.OfType<T>().ToList();

    public IConnector? Find(string connectorId) => All.FirstOrDefault(c => c.Id == connectorId);

    public T Get<T>(string connectorId) where T : class =>
        Find(connectorId) switch
        {
            null => throw new KeyNotFoundException($"connector '{connectorId}' is not configured or not enabled"),
            T capable => capable,
            var other => throw new InvalidOperationException(
                $"connector '{connectorId}' (type {other.Manifest.Id}) has no {typeof(T).Name} capability (it has: {string.Join(", ", other.Manifest.Capabilities)})"),
        };

    public IConnector Create(ConnectorConfig config) =>
        factories.TryGetValue(config.Type, out var factory) ? factory.Create(config)
            : throw new KeyNotFoundException($"connector '{config.Id}': unknown connector type '{config.Type}' (known: {string.Join(", ", factories.Keys.Order())})");

    public void Reload(ConnectorsConfiguration configuration)
    {
        var fresh = Build(configuration);
        IReadOnlyList<IConnector>? old;
        lock (sync)
        {
            old = instances;
            instances = fresh;
        }
        // In-flight calls on old instances may still run; their clients are left to the GC rather than disposed under them.
        _ = old;
    }

    // connectors.json also holds channel and bot entries (webchat, builtin-bot); the hub builds those itself.
    IReadOnlyList<IConnector> Build(ConnectorsConfiguration configuration) =>
        configuration.Enabled.Where(c => factories.ContainsKey(c.Type)).Select(Create).ToList();

    public void Dispose()
    {
        foreach (var connector in instances ?? []) (connector as IDisposable)?.Dispose();
    }
}
