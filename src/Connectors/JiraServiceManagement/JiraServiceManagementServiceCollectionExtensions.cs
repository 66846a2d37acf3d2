using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.JiraServiceManagement;

/// <summary>Registers the Jira Service Management connector type.</summary>
public static class JiraServiceManagementServiceCollectionExtensions
{
    /// <summary>Registers the <c>jiraservicemanagement</c> connector type (manifest and factory). Included in <c>AddConnectors()</c>.</summary>
    public static IServiceCollection AddJiraServiceManagementConnector(this IServiceCollection services) =>
        services.AddConnectorType(JiraServiceManagementConnector.ManifestResource, (config, http) => new JiraServiceManagementConnector(config, http));
}
