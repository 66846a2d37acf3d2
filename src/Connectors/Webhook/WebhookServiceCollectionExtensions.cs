using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Webhook;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Registers the generic signed-webhook connector type (<c>webhook</c>). Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddWebhookConnector(this IServiceCollection services) =>
        services.AddConnectorType(WebhookConnector.ManifestResource, (config, http) => new WebhookConnector(config, http));
}
