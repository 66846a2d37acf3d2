using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.ServiceNow;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class ServiceNowHarness : VendorHarness
{
    public override string Type => "servicenow";
    public override string CreateTicketPath => "/api/now/table/incident";
    public override string MappedQueue => "d625dccec0a8016700a222a0f7900d06";
    protected override FakeVendorServer CreateFake() => new ServiceNowFake();
    ServiceNowFake Sn => (ServiceNowFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["conversationUrlField"] = "u_conversation_url",
        ["channelField"] = "u_channel",
        ["baseUrl"] = baseUrl.ToString(),
        ["username"] = Sn.Username,
        ["password"] = secret(Sn.Password),
        ["webhookSecret"] = secret(Sn.WebhookSecret),
        ["assignmentGroups"] = new JsonObject { ["billing"] = "d625dccec0a8016700a222a0f7900d06" },
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["password"] = secret("wrong-sn-password-123");
        return "wrong-sn-password-123";
    }
}

public sealed class ServiceNowConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new ServiceNowHarness(); }
public sealed class ServiceNowTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new ServiceNowHarness(); protected override string UnknownTicketId => "0000000000000000000000000000dead"; }
public sealed class ServiceNowContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new ServiceNowHarness(); }
public sealed class ServiceNowWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new ServiceNowHarness(); }
