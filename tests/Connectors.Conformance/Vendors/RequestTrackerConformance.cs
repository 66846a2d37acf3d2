using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.RequestTracker;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class RequestTrackerHarness : VendorHarness
{
    public override string Type => "requesttracker";
    public override string CreateTicketPath => "/REST/2.0/ticket";
    public override string MappedQueue => "General";
    protected override FakeVendorServer CreateFake() => new RequestTrackerFake();

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["conversationUrlCustomField"] = "ConversationUrl",
        ["intentCustomField"] = "Intent",
        ["channelCustomField"] = "Channel",
        ["baseUrl"] = baseUrl.ToString(),
        ["authToken"] = secret(((RequestTrackerFake)Fake).Token),
        ["queues"] = new JsonObject { ["billing"] = "General" },
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["authToken"] = secret("1-99-wrongrttoken");
        return "1-99-wrongrttoken";
    }
}

public sealed class RequestTrackerConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new RequestTrackerHarness(); }
public sealed class RequestTrackerTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new RequestTrackerHarness(); }
public sealed class RequestTrackerContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new RequestTrackerHarness(); }
