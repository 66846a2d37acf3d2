namespace IntegrationHub.FakeServers;

/// <summary>A fake whose state is <see cref="StoredTicket"/>s and <see cref="StoredContact"/>s, guarded by <see cref="FakeVendorServer.Sync"/>.</summary>
public abstract class StatefulFake : FakeVendorServer
{
    protected List<StoredTicket> StoredTickets { get; } = [];
    protected List<StoredContact> StoredContacts { get; } = [];
    long nextId = 1000;

    protected string NextId() => Interlocked.Increment(ref nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Vendor status → open | pending | solved | closed.</summary>
    protected abstract string HubStatus(string vendorStatus);
    /// <summary>Vendor priority → low | normal | high | urgent.</summary>
    protected abstract string HubPriority(string vendorPriority);

    public override IReadOnlyList<FakeTicket> Tickets
    {
        get
        {
            lock (Sync)
                return StoredTickets.Select(t => new FakeTicket(t.Id, t.ConversationId, t.Subject, t.Description, HubStatus(t.Status), HubPriority(t.Priority),
                    t.RequesterId, t.Queue, t.Comments.ToList(), t.Attachments.ToList())).ToList();
        }
    }

    public override IReadOnlyList<FakeContact> Contacts
    {
        get
        {
            lock (Sync) return StoredContacts.Select(c => new FakeContact(c.Id, c.Email, c.Phone, c.Name)).ToList();
        }
    }

    protected StoredTicket? Ticket(string? id)
    {
        lock (Sync) return StoredTickets.FirstOrDefault(t => t.Id == id);
    }
}
