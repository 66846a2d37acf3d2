using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.HubSpot;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class HubSpotHarness : VendorHarness
{
    public override string Type => "hubspot";
    public override string CreateTicketPath => "/crm/v3/objects/tickets/batch/upsert";
    public override string MappedQueue => "7311";
    public override bool PublicCommentsSupported => false;
    protected override FakeVendorServer CreateFake() => new HubSpotFake();
    HubSpotFake HubSpot => (HubSpotFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["conversationUrlProperty"] = "hub_conversation_url",
        ["intentProperty"] = "hub_intent",
        ["categories"] = new JsonObject { ["billing_dispute"] = "BILLING_ISSUE" },
        ["channelProperty"] = "hub_channel",
        ["baseUrl"] = baseUrl.ToString(),
        ["accessToken"] = secret(HubSpot.AccessToken),
        ["clientSecret"] = secret(HubSpot.ClientSecret),
        ["queues"] = new JsonObject
        {
            ["billing"] = new JsonObject { ["pipeline"] = "7311", ["stages"] = new JsonObject { ["open"] = "7312", ["pending"] = "7313", ["solved"] = "7314", ["closed"] = "7314" } },
        },
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["accessToken"] = secret("pat-wrong-token-123");
        return "pat-wrong-token-123";
    }
}

public sealed class HubSpotConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new HubSpotHarness(); }
public sealed class HubSpotTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new HubSpotHarness(); }
public sealed class HubSpotContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new HubSpotHarness(); }
public sealed class HubSpotWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new HubSpotHarness(); }
