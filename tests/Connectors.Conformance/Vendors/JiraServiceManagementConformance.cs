using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.JiraServiceManagement;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class JiraServiceManagementHarness : VendorHarness
{
    public override string Type => "jiraservicemanagement";
    public override string CreateTicketPath => "/rest/servicedeskapi/request";
    public override string MappedQueue => "26";
    /// <summary>JSM customers are Atlassian accounts keyed by e-mail: there is no phone lookup.</summary>
    public override bool PhoneLookupSupported => false;
    protected override FakeVendorServer CreateFake() => new JiraServiceManagementFake();
    JiraServiceManagementFake Jira => (JiraServiceManagementFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["conversationUrlFieldId"] = "customfield_10060",
        ["intentFieldId"] = "customfield_10061",
        ["channelFieldId"] = "customfield_10062",
        ["baseUrl"] = baseUrl.ToString(),
        ["email"] = Jira.Email,
        ["apiToken"] = secret(Jira.ApiToken),
        ["serviceDeskId"] = Jira.ServiceDeskId,
        ["requestTypeId"] = "25",
        ["requestTypes"] = new JsonObject { ["billing"] = "26" },
        ["conversationFieldId"] = Jira.ConversationField,
        ["webhookSecret"] = secret(Jira.WebhookSecret),
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["apiToken"] = secret("wrong-jira-token-123");
        return "wrong-jira-token-123";
    }
}

public sealed class JiraServiceManagementConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new JiraServiceManagementHarness(); }
public sealed class JiraServiceManagementTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new JiraServiceManagementHarness(); protected override string UnknownTicketId => "HELP-9999"; }
public sealed class JiraServiceManagementContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new JiraServiceManagementHarness(); }
public sealed class JiraServiceManagementWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new JiraServiceManagementHarness(); }
