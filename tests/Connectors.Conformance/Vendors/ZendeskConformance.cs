using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Zendesk;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class ZendeskHarness : VendorHarness
{
    public override string Type => "zendesk";
    public override string CreateTicketPath => "/api/v2/tickets";
    public override string MappedQueue => "360001";
    protected override FakeVendorServer CreateFake() => new ZendeskFake();
    ZendeskFake Zendesk => (ZendeskFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["conversationUrlFieldId"] = 900001,
        ["intentFieldId"] = 900002,
        ["baseUrl"] = baseUrl.ToString(),
        ["email"] = Zendesk.Email,
        ["apiToken"] = secret(Zendesk.ApiToken),
        ["webhookSigningSecret"] = secret(Zendesk.SigningSecret),
        ["groups"] = new JsonObject { ["billing"] = 360001 },
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["apiToken"] = secret("wrong-zendesk-token-123");
        return "wrong-zendesk-token-123";
    }
}

public sealed class ZendeskConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new ZendeskHarness(); }
public sealed class ZendeskTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new ZendeskHarness(); }
public sealed class ZendeskContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new ZendeskHarness(); }
public sealed class ZendeskWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new ZendeskHarness(); }
