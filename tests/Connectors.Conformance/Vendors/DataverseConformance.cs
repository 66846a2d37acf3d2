using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Dataverse;

namespace IntegrationHub.Connectors.Conformance.Vendors;

public sealed class DataverseHarness : VendorHarness
{
    public override string Type => "dataverse";
    /// <summary>Cases are created by a create-only upsert on the conversation alternate key.</summary>
    public override string CreateTicketPath => "/incidents(ihub_conversationid=";
    public override string MappedQueue => "7c2f6a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    public override string CreateTicketMethod => "PATCH";
    /// <summary>Dataverse has no customer-visible comment on a case: every message is a note.</summary>
    public override bool PublicCommentsSupported => false;
    /// <summary>WebHook steps authenticate with a static key; the body is not signed.</summary>
    public override bool WebhookBodySigned => false;
    protected override FakeVendorServer CreateFake() => new DataverseFake();
    DataverseFake Dataverse => (DataverseFake)Fake;

    protected override JsonObject Settings(Uri baseUrl, Func<string, string> secret) => new()
    {
        ["intentField"] = "ihub_intent",
        ["conversationUrlField"] = "ihub_conversationurl",
        ["channelField"] = "ihub_channel",
        ["environmentUrl"] = baseUrl.ToString(),
        // The fake serves Entra ID's token endpoint too.
        ["authority"] = baseUrl.ToString(),
        ["tenantId"] = Dataverse.TenantId,
        ["clientId"] = Dataverse.ClientId,
        ["clientSecret"] = secret(Dataverse.ClientSecret),
        // This org added an "Urgent" priority option.
        ["priorities"] = new JsonObject { ["urgent"] = 100000000 },
        ["owningTeams"] = new JsonObject { ["billing"] = "7c2f6a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b" },
        ["webhookKey"] = secret(Dataverse.WebhookKey),
    };

    public override string BreakCredentials(JsonObject settings, Func<string, string> secret)
    {
        settings["clientSecret"] = secret("wrong-dv-secret-123");
        return "wrong-dv-secret-123";
    }
}

public sealed class DataverseConnectorTests : ConnectorConformance { protected override VendorHarness CreateHarness() => new DataverseHarness(); }
public sealed class DataverseTicketSinkTests : TicketSinkConformance { protected override VendorHarness CreateHarness() => new DataverseHarness(); protected override string UnknownTicketId => "00000000-0000-0000-0000-00000000dead"; }
public sealed class DataverseContactDirectoryTests : ContactDirectoryConformance { protected override VendorHarness CreateHarness() => new DataverseHarness(); }
public sealed class DataverseWebhookReceiverTests : WebhookReceiverConformance { protected override VendorHarness CreateHarness() => new DataverseHarness(); }
