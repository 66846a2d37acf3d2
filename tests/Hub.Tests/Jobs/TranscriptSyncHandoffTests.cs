using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Zendesk;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>
/// Transcripts at each handoff, not only at the close: the handoff's own helpdesk ("zendesk-eu", whose ticket the helpdesk
/// outbox creates) and a second transcript connector ("crm") each end with exactly one ticket per conversation.
/// </summary>
public abstract class TranscriptSyncHandoffTests(string backend) : IAsyncLifetime
{
    readonly ZendeskFake helpdesk = new();
    readonly ZendeskFake crm = new(email: "crm@example.test", apiToken: "crm-api-token");
    HubFactory hub = null!;
    HttpClient http = null!;

    public async Task InitializeAsync()
    {
        await helpdesk.StartAsync();
        await crm.StartAsync();
        Environment.SetEnvironmentVariable("HUB_TEST_TS_ZD_TOKEN", helpdesk.ApiToken);
        Environment.SetEnvironmentVariable("HUB_TEST_TS_ZD_SIGNING", helpdesk.SigningSecret);
        Environment.SetEnvironmentVariable("HUB_TEST_TS_CRM_TOKEN", crm.ApiToken);
        var connectors = $$"""
            {
              "connectors": [
                { "id": "web", "type": "webchat", "settings": { "title": "Test shop", "allowedOrigins": ["https://shop.example"] } },
                { "id": "bot", "type": "builtin-bot", "settings": {} },
                { "id": "zendesk-eu", "type": "zendesk", "settings": { "baseUrl": "{{helpdesk.BaseUrl}}", "email": "{{helpdesk.Email}}",
                    "apiToken": "env:HUB_TEST_TS_ZD_TOKEN", "webhookSigningSecret": "env:HUB_TEST_TS_ZD_SIGNING",
                    "groups": { "support": 360001 }, "maxRetries": 0, "timeoutSeconds": 5, "circuitBreakSeconds": 1 } },
                { "id": "crm", "type": "zendesk", "settings": { "baseUrl": "{{crm.BaseUrl}}", "email": "{{crm.Email}}",
                    "apiToken": "env:HUB_TEST_TS_CRM_TOKEN", "maxRetries": 0, "timeoutSeconds": 5, "circuitBreakSeconds": 1 } }
              ]
            }
            """;
        hub = await HubFactory.CreateAsync(backend, connectors, kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Hub:Helpdesk:RetryBaseSeconds"] = "0.2",
            ["Hub:Helpdesk:RetryMaxSeconds"] = "1",
            ["Hub:Helpdesk:PollSeconds"] = "0.2",
            ["Hub:Routing:Default:Name"] = "support",
            ["Hub:Routing:Default:Connector"] = "zendesk-eu",
            ["Hub:Routing:Default:Queue"] = "support",
            ["Hub:TranscriptSync:Connectors:0"] = "zendesk-eu",
            ["Hub:TranscriptSync:Connectors:1"] = "crm",
            ["Hub:TranscriptSync:FirstRetrySeconds"] = "0.5",
        });
        http = new HttpClient { BaseAddress = hub.ServerAddress };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await hub.DisposeAsync();
        await helpdesk.DisposeAsync();
        await crm.DisposeAsync();
    }

    IConversationStore Store => hub.Get<IConversationStore>();

    async Task<(HttpClient Customer, string Id)> CustomerAsync()
    {
        var client = new HttpClient { BaseAddress = hub.ServerAddress };
        var session = (await (await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user = new { email = "jane@example.test", name = "Jane Doe" } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<SessionResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var created = await client.PostAsync("/api/webchat/conversations", null);
        return (client, (await created.Content.ReadFromJsonAsync<ConversationResponse>())!.Id);
    }

    static async Task SayAsync(HttpClient client, string id, string text) =>
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text })).StatusCode);

    /// <summary>Says what is wrong, waits for the bot's answer, then asks for a person: the bot hands off.</summary>
    async Task HandOffAsync(HttpClient client, string id)
    {
        await SayAsync(client, id, "My blender arrived broken");
        await Eventually.TrueAsync(async () => (await Store.GetMessagesAsync(id)).Any(m => m.Author == MessageAuthor.Bot), 30_000, "the bot's answer");
        await SayAsync(client, id, "I want to talk to a real person");
        try
        {
            await Eventually.TrueAsync(async () => (await Store.GetConversationAsync(id))!.Mode == ConversationMode.Queued, 30_000, "the handoff");
        }
        catch (TimeoutException e)
        {
            var said = (await Store.GetMessagesAsync(id)).Select(m => $"{m.Author}: {m.Body}");
            throw new TimeoutException($"{e.Message}; conversation:\n{string.Join("\n", said)}", e);
        }
    }

    async Task<JsonElement> SyncInStateAsync(string id, string connectorId, string state, Func<JsonElement, bool>? also = null)
    {
        var last = "no row";
        try
        {
            return (JsonElement)await Eventually.ValueAsync<object>(async () =>
            {
                var response = await http.GetAsync($"/api/admin/transcript-syncs/{id}/{connectorId}");
                if (!response.IsSuccessStatusCode) return null;
                var sync = await response.Content.ReadFromJsonAsync<JsonElement>();
                last = sync.GetRawText();
                return sync.GetProperty("state").GetString() == state && (also?.Invoke(sync) ?? true) ? sync : null;
            }, 30_000, $"the sync to {connectorId} to be {state}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen: {last}", e);
        }
    }

    [Fact]
    public async Task Handoff_TwoTranscriptConnectors_EachGetsOneTicketAtHandoffTheCloseUpdatesIt()
    {
        var (customer, id) = await CustomerAsync();
        using var _ = customer;

        await HandOffAsync(customer, id);

        // The helpdesk's sync adopts the handoff ticket; the CRM's creates its own, with the transcript so far.
        var atHandoff = await SyncInStateAsync(id, "zendesk-eu", "synced");
        var handoffTicket = Assert.Single(helpdesk.Tickets);
        Assert.Equal(handoffTicket.Id, atHandoff.GetProperty("ticketId").GetString());
        var crmAtHandoff = await SyncInStateAsync(id, "crm", "synced");
        var crmTicket = Assert.Single(crm.Tickets);
        Assert.Equal(id, crmTicket.ConversationId);
        Assert.Contains("My blender arrived broken", crmTicket.Description);
        Assert.Equal(crmTicket.Id, crmAtHandoff.GetProperty("ticketId").GetString());
        var handoffVersion = crmAtHandoff.GetProperty("syncedVersion").GetInt64();

        // More conversation, then the close: both tickets get the complete transcript, and no second ticket appears.
        await SayAsync(customer, id, "It was a gift for my mother");
        await Eventually.TrueAsync(() => Task.FromResult(helpdesk.Tickets.Single().Comments.Any(c => c.Body.Contains("gift"))), what: "the comment on the handoff ticket");
        (await http.PostAsync($"/api/admin/conversations/{id}/close", null)).EnsureSuccessStatusCode();
        var closed = (await Store.GetConversationAsync(id))!;
        foreach (var connectorId in new[] { "zendesk-eu", "crm" })
        {
            var sync = await SyncInStateAsync(id, connectorId, "synced", s => s.GetProperty("syncedVersion").GetInt64() == closed.LastSequence);
            Assert.True(sync.GetProperty("syncedVersion").GetInt64() > handoffVersion);
        }
        Assert.Equal(handoffTicket.Id, Assert.Single(helpdesk.Tickets).Id);
        Assert.NotEmpty(helpdesk.Tickets.Single().AttachmentNames);
        var crmClosed = Assert.Single(crm.Tickets);
        Assert.Equal(crmTicket.Id, crmClosed.Id);
        Assert.NotEmpty(crmClosed.AttachmentNames);
        var conversation = (await Store.GetConversationAsync(id))!;
        Assert.Equal(["crm", "zendesk-eu"], conversation.Tickets.Select(t => t.ConnectorId).Order());
    }

    [Fact]
    public async Task Handoff_HelpdeskDownWhileTheOutboxRetries_SyncWaitsForTheOneHandoffTicket()
    {
        helpdesk.Faults.Status(503, 4, "POST", "/api/v2/tickets");
        var (customer, id) = await CustomerAsync();
        using var _ = customer;

        await HandOffAsync(customer, id);

        // The outbox is retrying: the transcript sync waits (no attempt spent) instead of racing it with a create of its own.
        var waiting = await SyncInStateAsync(id, "zendesk-eu", "pending", s => s.GetProperty("lastError").GetString()?.Contains("waiting for the handoff ticket") == true);
        Assert.Equal(0, waiting.GetProperty("attempts").GetInt64());
        var synced = await SyncInStateAsync(id, "zendesk-eu", "synced");
        Assert.Equal(1, synced.GetProperty("attempts").GetInt64()); // the one real attempt, after the waits
        var ticket = Assert.Single(helpdesk.Tickets);
        Assert.Equal(ticket.Id, synced.GetProperty("ticketId").GetString());
        await SyncInStateAsync(id, "crm", "synced");
        Assert.Single(crm.Tickets);
    }
}

public sealed class SqliteTranscriptSyncHandoffTests() : TranscriptSyncHandoffTests("sqlite");

public sealed class PostgresTranscriptSyncHandoffTests() : TranscriptSyncHandoffTests("postgres");
