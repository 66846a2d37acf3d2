using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Conformance.RealRequestTracker;

/// <summary>
/// The requesttracker connector's history reads (<see cref="ITicketHistorySource"/>) against a real RT 5: the
/// hub writes as RT's root (the fixture's token), an agent (scripts/rt-agent.sh) answers through REST2.
/// </summary>
public sealed class RealRequestTrackerHistoryTests(RealRequestTrackerFixture rt) : IClassFixture<RealRequestTrackerFixture>, IDisposable
{
    readonly string run = Guid.NewGuid().ToString("n")[..10];
    readonly string secretFile = Path.GetTempFileName();
    readonly ServiceProvider services = new ServiceCollection().AddConnectors().BuildServiceProvider();
    readonly RequestTrackerAgent agent = RequestTrackerAgent.Ensure(rt.Url);

    IConnector CreateConnector(JsonObject? extra = null)
    {
        File.WriteAllText(secretFile, rt.Token);
        var settings = new JsonObject { ["baseUrl"] = rt.Url, ["authToken"] = "file:" + secretFile, ["queue"] = "General", ["maxRetries"] = 0 };
        foreach (var (key, value) in extra ?? []) settings[key] = value?.DeepClone();
        var json = new JsonObject { ["connectors"] = new JsonArray(new JsonObject { ["id"] = "rt-real", ["type"] = "requesttracker", ["settings"] = settings }) };
        var config = ConnectorsFileParser.Parse(json.ToJsonString(), new ConnectorCatalog(services.GetServices<ConnectorManifest>()), "/");
        return services.GetRequiredService<IConnectorRegistry>().Create(config.Connectors[0]);
    }

    /// <summary>A ticket the hub created (as root) for a new conversation, with one customer message appended by the hub.</summary>
    async Task<TicketReference> HubTicketAsync(IConnector connector, string customerText)
    {
        var packet = VendorHarness.Packet($"conv-history-{run}", $"jane-{run}@example.test");
        var contact = await ((IContactDirectory)connector).FindOrCreateContactAsync(packet.Contact);
        var ticket = await ((ITicketSink)connector).CreateTicketAsync(packet, contact);
        await ((ITicketSink)connector).AppendMessagesAsync(ticket, [new TranscriptMessage(3, "customer", "public", customerText, DateTimeOffset.UtcNow)]);
        return ticket;
    }

    static async Task<List<WebhookEvent>> ReadAllAsync(ITicketHistorySource source, TicketReference ticket, string? cursor = null)
    {
        var events = new List<WebhookEvent>();
        for (var i = 0; i < 20; i++)
        {
            var page = await source.ReadHistoryAsync(ticket, cursor);
            events.AddRange(page.Events);
            cursor = page.Cursor;
            if (!page.More) break;
        }
        return events;
    }

    [Fact]
    public void Manifest_RealRtConnector_DeclaresTicketHistory() =>
        Assert.Contains(ConnectorCapabilities.TicketHistory, CreateConnector().Manifest.Capabilities);

    [Fact]
    public async Task ReadHistoryAsync_AgentReplyNoteAndResolve_MappedInOrderWithoutTheHubsOwnComments()
    {
        var connector = CreateConnector();
        var source = (ITicketHistorySource)connector;
        var ticket = await HubTicketAsync(connector, $"customer words {run}");

        await agent.CorrespondAsync(ticket.ExternalId, $"Hello Jane, looking into it {run}");
        await agent.CommentAsync(ticket.ExternalId, "<p>Check the <b>invoice</b> &amp; refund</p><p>second line</p>", "text/html");
        await agent.SetStatusAsync(ticket.ExternalId, "resolved");

        var events = await ReadAllAsync(source, ticket);
        Assert.DoesNotContain(events, e => e.Body?.Contains("customer words", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(events, e => e.Body?.Contains("Chat from Jane", StringComparison.Ordinal) == true); // the hub's ticket creation
        Assert.All(events, e => Assert.Matches(@"^rt-txn-\d+$", e.VendorEventId));
        Assert.All(events, e => Assert.Equal(ticket.ExternalId, e.TicketExternalId));
        Assert.Equal(events.Select(e => long.Parse(e.VendorEventId[7..])).Order(), events.Select(e => long.Parse(e.VendorEventId[7..])));

        // RT itself may open the ticket when someone corresponds (an "open" status by RT_System); the agent's own acts are these:
        var agents = events.Where(e => e.AuthorName == "Agent Smith").ToList();
        Assert.Collection(agents,
            e => Assert.Equal((WebhookEventKind.AgentPublicReply, $"Hello Jane, looking into it {run}"), (e.Kind, e.Body)),
            e => Assert.Equal((WebhookEventKind.InternalNote, "Check the invoice & refund\nsecond line"), (e.Kind, e.Body)),
            e => Assert.Equal((WebhookEventKind.StatusChanged, "solved"), (e.Kind, e.Status)));
        Assert.All(agents, e => Assert.True((DateTimeOffset.UtcNow - e.OccurredAt).Duration() < TimeSpan.FromMinutes(5), $"occurred at {e.OccurredAt:O}"));
    }

    [Fact]
    public async Task ReadHistoryAsync_FromItsCursorAndFromScratch_NothingNewThenTheSameEventIds()
    {
        var connector = CreateConnector();
        var source = (ITicketHistorySource)connector;
        var ticket = await HubTicketAsync(connector, "hello");
        await agent.CorrespondAsync(ticket.ExternalId, "first reply");

        var first = await source.ReadHistoryAsync(ticket, null);
        Assert.NotNull(first.Cursor);
        var again = await source.ReadHistoryAsync(ticket, first.Cursor);
        Assert.Empty(again.Events);
        Assert.Equal(first.Cursor, again.Cursor);

        await agent.CorrespondAsync(ticket.ExternalId, "second reply");
        var next = await source.ReadHistoryAsync(ticket, first.Cursor);
        Assert.Equal(["second reply"], next.Events.Where(e => e.Kind == WebhookEventKind.AgentPublicReply).Select(e => e.Body));
        Assert.True(long.Parse(next.Cursor!) > long.Parse(first.Cursor!));

        var scratch = await ReadAllAsync(source, ticket);
        Assert.Equal(first.Events.Concat(next.Events).Select(e => e.VendorEventId), scratch.Select(e => e.VendorEventId));
    }

    [Fact]
    public async Task ReadHistoryAsync_MoreThanOnePage_ReadsEveryTransactionOnceAcrossPages()
    {
        var connector = CreateConnector(new JsonObject { ["historyPageSize"] = 5 });
        var source = (ITicketHistorySource)connector;
        var ticket = await HubTicketAsync(connector, "hello");
        const int notes = 12; // more than two pages of 5
        for (var i = 0; i < notes; i++) await agent.CommentAsync(ticket.ExternalId, $"note {i}");

        var page = await source.ReadHistoryAsync(ticket, null);
        Assert.True(page.More, "the first page says more is waiting");
        var events = await ReadAllAsync(source, ticket);
        Assert.Equal(Enumerable.Range(0, notes).Select(i => $"note {i}"), events.Where(e => e.Kind == WebhookEventKind.InternalNote).Select(e => e.Body));
        Assert.Equal(events.Count, events.Select(e => e.VendorEventId).Distinct().Count());
    }

    [Fact]
    public async Task ReadHistoryAsync_ConfiguredHubUserIsTheAgent_TheAgentsRepliesAreTreatedAsTheHubsOwn()
    {
        var connector = CreateConnector(new JsonObject { ["hubUser"] = RequestTrackerAgent.User });
        var ticket = await HubTicketAsync(connector, "hello");
        await agent.CorrespondAsync(ticket.ExternalId, "written by the configured hub user");
        var events = await ReadAllAsync((ITicketHistorySource)connector, ticket);
        Assert.DoesNotContain(events, e => e.Body == "written by the configured hub user");
        // root (the fixture's token) is now just another agent: the customer's message it appended comes back.
        Assert.Contains(events, e => e is { Kind: WebhookEventKind.AgentPublicReply, Body: "hello", AuthorName: "Enoch Root" });
    }

    [Fact]
    public async Task ReadHistoryAsync_CursorNotATransactionId_ValidationFailed()
    {
        var source = (ITicketHistorySource)CreateConnector();
        var error = await Assert.ThrowsAsync<ConnectorException>(() => source.ReadHistoryAsync(new TicketReference("rt-real", "1"), "1 OR 1=1"));
        Assert.Equal(ConnectorErrorKind.ValidationFailed, error.Kind);
        error = await Assert.ThrowsAsync<ConnectorException>(() => source.ReadHistoryAsync(new TicketReference("rt-real", "1 OR id > 0"), null));
        Assert.Equal(ConnectorErrorKind.ValidationFailed, error.Kind);
    }

    [Fact]
    public async Task ReadHistoryAsync_TicketThatDoesNotExist_NotFound()
    {
        var source = (ITicketHistorySource)CreateConnector();
        var error = await Assert.ThrowsAsync<ConnectorException>(() => source.ReadHistoryAsync(new TicketReference("rt-real", "987654321"), null));
        Assert.Equal(ConnectorErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task ReadHistoryAsync_WrongToken_AuthenticationFailed()
    {
        var connector = CreateConnector();
        var ticket = await HubTicketAsync(connector, "hello");
        File.WriteAllText(secretFile, "1-1-wrong");
        var error = await Assert.ThrowsAsync<ConnectorException>(() => ((ITicketHistorySource)connector).ReadHistoryAsync(ticket, null));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, error.Kind);
    }

    public void Dispose()
    {
        services.Dispose();
        File.Delete(secretFile);
    }
}

/// <summary>An RT agent who is not the hub's user (scripts/rt-agent.sh), acting through REST2 with Basic auth.</summary>
internal sealed class RequestTrackerAgent
{
    public const string User = "agent.smith";
    const string Password = "agent-password";
    static readonly object Gate = new();
    static bool ensured;
    readonly string url;

    RequestTrackerAgent(string url) => this.url = url;

    public static RequestTrackerAgent Ensure(string url)
    {
        lock (Gate)
        {
            if (!ensured)
            {
                var script = Path.Combine(RepositoryRoot(), "scripts", "rt-agent.sh");
                var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
                start.Environment["RT_AGENT_USER"] = User;
                start.Environment["RT_AGENT_PASSWORD"] = Password;
                using var process = Process.Start(start)!;
                var stderr = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
                    throw new InvalidOperationException($"scripts/rt-agent.sh failed: {stderr.Result}");
                ensured = true;
            }
        }
        return new RequestTrackerAgent(url);
    }

    HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/REST/2.0/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return http;
    }

    public Task CorrespondAsync(string ticketId, string text, string contentType = "text/plain") => PostAsync($"ticket/{ticketId}/correspond", text, contentType);

    public Task CommentAsync(string ticketId, string text, string contentType = "text/plain") => PostAsync($"ticket/{ticketId}/comment", text, contentType);

    async Task PostAsync(string path, string text, string contentType)
    {
        using var http = Client();
        (await http.PostAsync(path, Json(new { Content = text, ContentType = contentType }))).EnsureSuccessStatusCode();
    }

    public async Task SetStatusAsync(string ticketId, string status)
    {
        using var http = Client();
        var response = await http.PutAsync($"ticket/{ticketId}", Json(new { Status = status }));
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadAsStringAsync();
        if (!messages.Contains(status, StringComparison.Ordinal)) throw new InvalidOperationException($"RT did not change the status: {messages}");
    }

    /// <summary>With a Content-Length: RT's server reads a chunked body (what JsonContent sends) as empty.</summary>
    static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }
}
