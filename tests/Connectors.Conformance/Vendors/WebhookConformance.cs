using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Webhook;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class WebhookHarness : VendorHarness
{
    public override string Type => "webhook";
    public override string CreateTicketPath => "/hub-events";
    public override string MappedQueue => "billing";
    protected override FakeVendorServer CreateFake() => new InHouseSystemFake();
    InHouseSystemFake InHouse => (InHouseSystemFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["url"] = new Uri(baseUrl, "hub-events").ToString(),
        ["signingSecret"] = secret(InHouse.Secret),
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["signingSecret"] = secret("wrong-signing-secret-123");
        return "wrong-signing-secret-123";
    }
}

public sealed class WebhookConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new WebhookHarness(); }
public sealed class WebhookTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new WebhookHarness(); }
public sealed class WebhookWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new WebhookHarness(); }
