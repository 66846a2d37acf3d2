using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Conformance.RealRequestTracker;

/// <summary>The requesttracker connector against a real RT 5 (see <see cref="RealRequestTrackerFixture"/>).</summary>
public sealed class RealRequestTrackerTests(RealRequestTrackerFixture rt) : IClassFixture<RealRequestTrackerFixture>, IDisposable
{
    readonly string run = Guid.NewGuid().ToString("n")[..10];
    readonly string secretFile = Path.GetTempFileName();
    readonly ServiceProvider services = new ServiceCollection().AddConnectors().BuildServiceProvider();
    IConnector? connector;

    IConnector Connector => connector ??= Create("rt-real");

    /// <summary>A fresh instance (as another hub node would have: no shared in-process locks).</summary>
    IConnector Create(string id)
    {
        File.WriteAllText(secretFile, rt.Token);
        var json = new JsonObject
        {
            ["connectors"] = new JsonArray(new JsonObject
            {
                ["id"] = id, ["type"] = "requesttracker",
                ["settings"] = new JsonObject { ["baseUrl"] = rt.Url, ["authToken"] = "file:" + secretFile, ["queue"] = "General" },
            }),
        };
        var config = ConnectorsFileParser.Parse(json.ToJsonString(), new ConnectorCatalog(services.GetServices<ConnectorManifest>()), "/");
        return services.GetRequiredService<IConnectorRegistry>().Create(config.Connectors[0]);
    }

    async Task<JsonNode> RestAsync(string path)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", rt.Token);
        return JsonNode.Parse(await http.GetStringAsync($"{rt.Url}/REST/2.0/{path}"))!;
    }

    HandoffPacket Packet(string conversation) => VendorHarness.Packet(conversation, $"jane-{run}@example.test");

    [Fact]
    public async Task CheckAsync_RealRt_Succeeds()
    {
        var result = await Connector.CheckAsync();
        Assert.True(result.Ok, result.Message);
    }

    [Fact]
    public async Task FindOrCreateContactAsync_RealRtTwoNodesRace_OneUser()
    {
        var person = new ContactInfo("c", "Node Person", [$"nodes-{run}@example.test"], [], "identified");
        var other = Create("rt-real-node2");
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => ((IContactDirectory)(i % 2 == 0 ? Connector : other)).FindOrCreateContactAsync(person)));
        Assert.Single(results.Select(r => r.ExternalId).Distinct());
        var users = await RestAsync($"users?query={Uri.EscapeDataString($"[{{\"field\":\"EmailAddress\",\"value\":\"nodes-{run}@example.test\"}}]")}");
        Assert.Equal(1, users["count"]?.GetValue<int>());
        (other as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task FindOrCreateContactAsync_RealRtRace_OneUser()
    {
        var person = new ContactInfo("c", "Race Person", [$"race-{run}@example.test"], [], "identified");
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ((IContactDirectory)Connector).FindOrCreateContactAsync(person)));
        Assert.Single(results.Select(r => r.ExternalId).Distinct());
        Assert.Equal(results[0].ExternalId, (await ((IContactDirectory)Connector).FindContactAsync(person))?.ExternalId);
    }

    [Fact]
    public async Task TicketLifecycle_RealRt_IdempotentOrderedAndUpdated()
    {
        var sink = (ITicketSink)Connector;
        var packet = Packet($"conv-{run}");
        var contact = await ((IContactDirectory)Connector).FindOrCreateContactAsync(packet.Contact);
        var ticket = await sink.CreateTicketAsync(packet, contact);
        Assert.Equal(ticket.ExternalId, (await sink.CreateTicketAsync(packet, contact)).ExternalId);

        await sink.AppendMessagesAsync(ticket,
        [
            new TranscriptMessage(4, "system", "internal", "second: internal note", DateTimeOffset.UtcNow),
            new TranscriptMessage(3, "customer", "public", "first: public message", DateTimeOffset.UtcNow),
        ]);
        await sink.UpdateTicketAsync(ticket, new TicketUpdate("pending", "urgent"));
        Assert.True(await sink.AttachTranscriptAsync(ticket, TranscriptFile.FromMessages(packet.ConversationId, packet.Transcript)));

        var stored = await RestAsync($"ticket/{ticket.ExternalId}");
        Assert.Equal("stalled", stored["Status"]?.ToString());
        Assert.Equal("100", stored["Priority"]?.ToString());
        Assert.Equal($"Chat from Jane Doe: billing_dispute", stored["Subject"]?.ToString());
        var history = await RestAsync($"ticket/{ticket.ExternalId}/history?fields=Type&per_page=100");
        var types = history["items"]!.AsArray().Select(i => i!["Type"]!.ToString()).Where(t => t is "Create" or "Correspond" or "Comment").ToList();
        Assert.Equal(["Create", "Correspond", "Comment", "Comment"], types);
        var attachments = await RestAsync($"ticket/{ticket.ExternalId}/attachments?fields=Filename&per_page=100");
        Assert.Contains(attachments["items"]!.AsArray(), a => a?["Filename"]?.ToString() == $"transcript-conv-{run}.txt");
    }

    [Fact]
    public async Task CreateTicketAsync_RealRtWrongToken_AuthenticationFailed()
    {
        var sink = (ITicketSink)Connector;
        File.WriteAllText(secretFile, "1-1-wrong"); // secrets are read per call: rotation (here: breakage) needs no rebuild
        var error = await Assert.ThrowsAsync<ConnectorException>(() => sink.CreateTicketAsync(Packet($"conv-auth-{run}"),
            new ContactReference("rt-real", "1", $"jane-{run}@example.test")));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, error.Kind);
        Assert.DoesNotContain("1-1-wrong", error.ToString());
    }

    public void Dispose()
    {
        services.Dispose();
        File.Delete(secretFile);
    }
}
