using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Tests.Abstractions;

public sealed class ConnectorRegistryTests
{
    [Fact]
    public void AddConnectors_RegistersEveryBuiltInManifestOnce()
    {
        using var services = new ServiceCollection().AddConnectors().AddConnectors().BuildServiceProvider();
        var ids = services.GetServices<ConnectorManifest>().Select(m => m.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Contains("zendesk", ids);
        Assert.Contains("webhook", ids);
        Assert.Superset(new HashSet<string> { "zendesk", "freshdesk", "hubspot", "servicenow", "requesttracker", "jiraservicemanagement", "salesforce", "dataverse", "webhook" }, ids.ToHashSet());
        Assert.Equal(ids.Order(), services.GetServices<IConnectorFactory>().Select(f => f.Manifest.Id).Order());
    }

    [Fact]
    public void With_TwoZendeskAccountsAndAWebhook_ReturnsInstancesByCapability()
    {
        var collection = new ServiceCollection().AddConnectors();
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "value");
        var json = new JsonObject
        {
            ["connectors"] = new JsonArray(
                new JsonObject { ["id"] = "zendesk-eu", ["type"] = "zendesk", ["settings"] = new JsonObject { ["baseUrl"] = "https://eu.zendesk.example", ["email"] = "a@b.c", ["apiToken"] = "file:" + secret } },
                new JsonObject { ["id"] = "zendesk-us", ["type"] = "zendesk", ["settings"] = new JsonObject { ["baseUrl"] = "https://us.zendesk.example", ["email"] = "a@b.c", ["apiToken"] = "file:" + secret } },
                new JsonObject { ["id"] = "inhouse", ["type"] = "webhook", ["settings"] = new JsonObject { ["url"] = "https://crm.example/hooks", ["signingSecret"] = "file:" + secret } },
                new JsonObject { ["id"] = "off", ["type"] = "webhook", ["enabled"] = false, ["settings"] = new JsonObject { ["url"] = "https://crm.example/hooks", ["signingSecret"] = "file:" + secret } }),
        };
        using (var probe = collection.BuildServiceProvider())
            collection.AddSingleton(ConnectorsFileParser.Parse(json.ToJsonString(), new ConnectorCatalog(probe.GetServices<ConnectorManifest>()), "/"));
        using var services = collection.BuildServiceProvider();
        var registry = services.GetRequiredService<IConnectorRegistry>();

        Assert.Equal(["zendesk-eu", "zendesk-us", "inhouse"], registry.All.Select(c => c.Id));
        Assert.Equal(3, registry.With<ITicketSink>().Count);
        Assert.Equal(["zendesk-eu", "zendesk-us"], registry.With<IContactDirectory>().Cast<IConnector>().Select(c => c.Id));
        Assert.Null(registry.Find("off"));
        var error = Assert.Throws<InvalidOperationException>(() => registry.Get<IContactDirectory>("inhouse"));
        Assert.Contains("inhouse", error.Message);
        File.Delete(secret);
    }
}
