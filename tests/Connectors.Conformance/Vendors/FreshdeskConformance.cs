using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Freshdesk;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class FreshdeskHarness : VendorHarness
{
    public override string Type => "freshdesk";
    public override string CreateTicketPath => "/api/v2/tickets";
    public override string MappedQueue => "77";
    protected override FakeVendorServer CreateFake() => new FreshdeskFake();
    public override bool WebhookBodySigned => false;
    FreshdeskFake Freshdesk => (FreshdeskFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["conversationUrlField"] = "cf_conversation_url",
        ["baseUrl"] = baseUrl.ToString(),
        ["apiKey"] = secret(Freshdesk.ApiKey),
        ["webhookToken"] = secret(Freshdesk.WebhookToken),
        ["groups"] = new JsonObject { ["billing"] = 77 },
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["apiKey"] = secret("wrong-freshdesk-key-123");
        return "wrong-freshdesk-key-123";
    }
}

public sealed class FreshdeskConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new FreshdeskHarness(); }
public sealed class FreshdeskTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new FreshdeskHarness(); }
public sealed class FreshdeskContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new FreshdeskHarness(); }
public sealed class FreshdeskWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new FreshdeskHarness(); }
