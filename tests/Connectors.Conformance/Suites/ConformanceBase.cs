using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Conformance.Suites;

/// <summary>A fresh fake and connector per test.</summary>
public abstract class ConformanceBase : IAsyncLifetime
{
    protected VendorHarness Harness { get; private set; } = null!;
    protected IConnector Connector => Harness.Connector;

    protected abstract VendorHarness CreateHarness();

    public async Task InitializeAsync()
    {
        Harness = CreateHarness();
        await Harness.StartAsync();
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    protected async Task<(ContactReference Contact, TicketReference Ticket)> CreateTicketAsync(string conversationId = "conv-1")
    {
        var packet = VendorHarness.Packet(conversationId);
        var contact = Connector is IContactDirectory directory ? await directory.FindOrCreateContactAsync(packet.Contact)
            : new ContactReference(Connector.Id, packet.Contact.Email!, packet.Contact.Email);
        return (contact, await ((ITicketSink)Connector).CreateTicketAsync(packet, contact));
    }
}
