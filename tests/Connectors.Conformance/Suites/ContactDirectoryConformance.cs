using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Conformance.Suites;

/// <summary>The <see cref="IContactDirectory"/> contract, run against each vendor's fake.</summary>
public abstract class ContactDirectoryConformance : ConformanceBase
{
    IContactDirectory Directory => (IContactDirectory)Connector;

    static ContactInfo Person(string email = "sam@example.test", string? phone = "+15550001111") =>
        new("c-9", "Sam Smith", [email], phone is null ? [] : [phone], "identified");

    [Fact]
    public async Task FindContactAsync_Unknown_ReturnsNull() =>
        Assert.Null(await Directory.FindContactAsync(Person("nobody@example.test")));

    [Fact]
    public async Task FindOrCreateContactAsync_NewPerson_CreatesOnceThenFinds()
    {
        var created = await Directory.FindOrCreateContactAsync(Person());
        Assert.True(created.Created);
        var again = await Directory.FindOrCreateContactAsync(Person());
        Assert.False(again.Created);
        Assert.Equal(created.ExternalId, again.ExternalId);
        var stored = Assert.Single(Harness.Fake.Contacts, c => c.Email == "sam@example.test");
        Assert.Equal(created.ExternalId, stored.Id);
        Assert.Equal(created.ExternalId, (await Directory.FindContactAsync(Person()))?.ExternalId);
    }

    [Fact]
    public async Task FindOrCreateContactAsync_TwoConversationsRace_NoDuplicate()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Directory.FindOrCreateContactAsync(Person("race@example.test"))));
        Assert.Single(results.Select(r => r.ExternalId).Distinct());
        Assert.Single(Harness.Fake.Contacts, c => c.Email == "race@example.test");
    }

    [Fact]
    public async Task FindOrCreateContactAsync_TwoHubNodesRace_NoDuplicate()
    {
        // Two hub processes: separate connector instances share no in-process lock, only the vendor.
        var other = (IContactDirectory)Harness.CreateConnector(id: "second-node");
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? Directory : other).FindOrCreateContactAsync(Person("nodes@example.test"))));
        Assert.Single(results.Select(r => r.ExternalId).Distinct());
        Assert.Single(Harness.Fake.Contacts, c => c.Email == "nodes@example.test");
        (other as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task FindOrCreateContactAsync_PhoneOnly_CreatesAndFindsByPhone()
    {
        if (!Harness.PhoneLookupSupported) return;
        var phoneOnly = new ContactInfo("c-8", "Pat", [], ["+15559998888"], "identified");
        var created = await Directory.FindOrCreateContactAsync(phoneOnly);
        Assert.Equal(created.ExternalId, (await Directory.FindContactAsync(phoneOnly))?.ExternalId);
        Assert.Single(Harness.Fake.Contacts, c => c.Phone == "+15559998888");
    }
}
