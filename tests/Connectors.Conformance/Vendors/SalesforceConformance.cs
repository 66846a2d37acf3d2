using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Salesforce;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class SalesforceHarness : VendorHarness
{
    public override string Type => "salesforce";
    /// <summary>Cases are upserted by External ID: the PATCH is where "timeout after commit" is injected.</summary>
    public override string CreateTicketPath => "/sobjects/Case/Chat_Session_Id__c/";
    /// <summary>Salesforce sends no Retry-After: a long throttle is the exhausted daily allocation (403 REQUEST_LIMIT_EXCEEDED, usage = allocation).</summary>
    public override void ThrottleCreateForLong() => Fake.RateLimit = (0, TimeSpan.FromHours(1));
    public override string MappedQueue => "00GDn000000BillAAA";
    public override string CreateTicketMethod => "PATCH";
    protected override FakeVendorServer CreateFake() => new SalesforceFake();
    SalesforceFake Salesforce => (SalesforceFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["intentField"] = "Chat_Intent__c",
        ["conversationUrlField"] = "Chat_Conversation_Url__c",
        ["instanceUrl"] = baseUrl.ToString(),
        ["clientId"] = Salesforce.ClientId,
        ["clientSecret"] = secret(Salesforce.ClientSecret),
        ["apiVersion"] = Salesforce.ApiVersion,
        // This org's picklists have "Resolved" and "Critical" (see SalesforceFake.CaseStatuses/CasePriorities).
        ["statuses"] = new JsonObject { ["solved"] = "Resolved" },
        ["priorities"] = new JsonObject { ["urgent"] = "Critical" },
        ["queues"] = new JsonObject { ["billing"] = "00GDn000000BillAAA" },
        ["integrationUserId"] = SalesforceFake.IntegrationUserId,
        ["webhookSecret"] = secret(Salesforce.WebhookSecret),
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["clientSecret"] = secret("wrong-sf-secret-123");
        return "wrong-sf-secret-123";
    }
}

public sealed class SalesforceConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new SalesforceHarness(); }
public sealed class SalesforceTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new SalesforceHarness(); protected override string UnknownTicketId => "500Dn00000DeadAAAA"; }
public sealed class SalesforceContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new SalesforceHarness(); }
public sealed class SalesforceWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new SalesforceHarness(); }
