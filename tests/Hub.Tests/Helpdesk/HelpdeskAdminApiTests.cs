using System.Net;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>The admin view of a ticket stuck on a vendor outage, and the "retry now" that ends the wait.</summary>
public sealed class HelpdeskAdminApiTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;

    // Long back-off: within the test only the admin's retry can bring the ticket through.
    public async Task InitializeAsync() => fixture = await HelpdeskFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Hub:Helpdesk:RetryBaseSeconds"] = "600",
        ["Hub:Helpdesk:RetryMaxSeconds"] = "600",
    });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task FailingTicket_ListedWithReasonThenRetriedNowByAdmin()
    {
        fixture.Zendesk.Faults.Status(503, count: 1000);
        var (client, _, id) = await fixture.CustomerAsync();
        await fixture.HandOffAsync(client, id);

        var listed = await Eventually.ValueAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/admin/helpdesk/"));
            var row = doc.RootElement.GetProperty("failingTickets").EnumerateArray().FirstOrDefault(r => r.GetProperty("conversationId").GetString() == id);
            return row.ValueKind == JsonValueKind.Object ? row.GetProperty("lastError").GetString() : null;
        }, what: "the failing ticket in the admin view");
        Assert.Contains("zendesk-eu", listed);
        Assert.Contains("unavailable", listed);
        var unknown = await fixture.Http.PostAsync("/api/admin/helpdesk/tickets/conv_nope/retry", null);

        fixture.Zendesk.Faults.Clear();
        var retry = await fixture.Http.PostAsync($"/api/admin/helpdesk/tickets/{id}/retry", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.Any(t => t.ConversationId == id)), what: "the ticket after the retry");
        await Eventually.TrueAsync(async () => !(await fixture.Http.GetStringAsync("/api/admin/helpdesk/")).Contains(id), what: "the admin view cleared");
    }
}
