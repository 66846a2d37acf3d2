using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.FakeServers.Salesforce;

namespace IntegrationHub.Connectors.Conformance.Vendors;

/// <summary>Salesforce behaviour beyond the shared suites: session expiry, two hub nodes racing, the daily allocation.</summary>
public sealed class SalesforceSpecificTests : IAsyncLifetime
{
    readonly SalesforceHarness harness = new();
    SalesforceFake Fake => (SalesforceFake)harness.Fake;

    public Task InitializeAsync() => harness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Calls_SessionRevoked_FetchANewTokenOnceAndSucceed()
    {
        Assert.True((await harness.Connector.CheckAsync()).Ok);
        Fake.RevokeTokens();
        var result = await harness.Connector.CheckAsync();
        Assert.True(result.Ok, result.Message);
        Assert.Equal(2, Fake.TokenRequests);
        Assert.Contains(harness.Fake.Requests, r => r.Path == "/services/oauth2/token" && r.BodyText.Contains("grant_type=client_credentials", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTicketAsync_TwoHubNodesRace_OneContactAndOneCase()
    {
        // Two connector instances = two hub nodes: no shared lock, only the External ID upserts keep them apart.
        var nodes = new[] { harness.Connector, harness.CreateConnector(id: "salesforce-node-2") };
        var packet = VendorHarness.Packet("conv-nodes");
        var results = await Task.WhenAll(nodes.Select(async node =>
        {
            var contact = await ((IContactDirectory)node).FindOrCreateContactAsync(packet.Contact);
            return (contact, await ((ITicketSink)node).CreateTicketAsync(packet, contact));
        }));
        Assert.Single(results.Select(r => r.Item2.ExternalId).Distinct());
        Assert.Single(harness.Fake.Tickets);
        Assert.Single(harness.Fake.Contacts, c => c.Email == packet.Contact.Email);
    }

    [Fact]
    public async Task Calls_DailyAllocationUsedUp_FailRateLimitedWithoutRetrying()
    {
        Assert.True((await harness.Connector.CheckAsync()).Ok);
        harness.Fake.RateLimit = (0, TimeSpan.FromHours(24));
        var before = harness.Fake.Requests.Count;
        var error = await Assert.ThrowsAsync<ConnectorException>(() => ((IContactDirectory)harness.Connector).FindContactAsync(VendorHarness.Packet("c").Contact));
        Assert.Equal(ConnectorErrorKind.RateLimited, error.Kind);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", error.Message);
        Assert.True(error.IsTransient);
        Assert.Equal(before + 1, harness.Fake.Requests.Count); // a daily limit is not retried in-line: the job retries later
    }
}
