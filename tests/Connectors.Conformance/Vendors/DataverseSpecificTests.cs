using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.FakeServers.Dataverse;

namespace IntegrationHub.Connectors.Conformance.Vendors;

/// <summary>Dataverse behaviour beyond the shared suites: token expiry and scope, two hub nodes racing, reopening.</summary>
public sealed class DataverseSpecificTests : IAsyncLifetime
{
    readonly DataverseHarness harness = new();
    DataverseFake Fake => (DataverseFake)harness.Fake;

    public Task InitializeAsync() => harness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Calls_TokenExpired_FetchANewTokenForTheEnvironmentScope()
    {
        Assert.True((await harness.Connector.CheckAsync()).Ok);
        Fake.RevokeTokens();
        var result = await harness.Connector.CheckAsync();
        Assert.True(result.Ok, result.Message);
        Assert.Equal(2, Fake.TokenRequests);
        var token = harness.Fake.Requests.First(r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Contains("scope=" + Uri.EscapeDataString($"{Fake.Environment}/.default"), token.BodyText);
    }

    [Fact]
    public async Task CreateTicketAsync_TwoHubNodesRace_OneContactAndOneCase()
    {
        var nodes = new[] { harness.Connector, harness.CreateConnector(id: "dataverse-node-2") };
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
    public async Task UpdateTicketAsync_ResolvedThenOpen_ReopensAndKeepsOneResolution()
    {
        var packet = VendorHarness.Packet("conv-reopen");
        var sink = (ITicketSink)harness.Connector;
        var ticket = await sink.CreateTicketAsync(packet, await ((IContactDirectory)harness.Connector).FindOrCreateContactAsync(packet.Contact));
        await sink.UpdateTicketAsync(ticket, new TicketUpdate("solved"));
        await sink.UpdateTicketAsync(ticket, new TicketUpdate("solved")); // already resolved: no second CloseIncident
        Assert.Single(harness.Fake.Requests, r => r.Path.EndsWith("/CloseIncident", StringComparison.Ordinal));
        await sink.UpdateTicketAsync(ticket, new TicketUpdate("open", "low"));
        var stored = Assert.Single(harness.Fake.Tickets);
        Assert.Equal("open", stored.Status);
        Assert.Equal("low", stored.Priority);
    }
}
