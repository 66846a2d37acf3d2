using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors;

/// <summary>Every connector type shipped in this assembly: manifest and constructor.</summary>
internal static class BuiltInConnectors
{
    public static IReadOnlyList<(ConnectorManifest Manifest, Func<ConnectorConfig, ConnectorHttpFactory, IConnector> Create)> All { get; } =
    [
        (Zendesk.ZendeskConnector.ManifestResource, (c, h) => new Zendesk.ZendeskConnector(c, h)),
        (Webhook.WebhookConnector.ManifestResource, (c, h) => new Webhook.WebhookConnector(c, h)),
        (Freshdesk.FreshdeskConnector.ManifestResource, (c, h) => new Freshdesk.FreshdeskConnector(c, h)),
        (HubSpot.HubSpotConnector.ManifestResource, (c, h) => new HubSpot.HubSpotConnector(c, h)),
        (ServiceNow.ServiceNowConnector.ManifestResource, (c, h) => new ServiceNow.ServiceNowConnector(c, h)),
        (RequestTracker.RequestTrackerConnector.ManifestResource, (c, h) => new RequestTracker.RequestTrackerConnector(c, h)),
        (JiraServiceManagement.JiraServiceManagementConnector.ManifestResource, (c, h) => new JiraServiceManagement.JiraServiceManagementConnector(c, h)),
        (Salesforce.SalesforceConnector.ManifestResource, (c, h) => new Salesforce.SalesforceConnector(c, h)),
        (Dataverse.DataverseConnector.ManifestResource, (c, h) => new Dataverse.DataverseConnector(c, h)),
    ];
}
