using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHub.FakeServers.Zendesk;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>A hub on a real port with the web chat site, the built-in bot and a Zendesk connector pointed at the Zendesk fake.</summary>
internal sealed class HelpdeskFixture : IAsyncDisposable
{
    public ZendeskFake Zendesk { get; } = new();
    public HubFactory Hub { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public IConversationStore Store => Hub.Get<IConversationStore>();

    public static async Task<HelpdeskFixture> StartAsync(IReadOnlyDictionary<string, string?>? extraSettings = null, string backend = "sqlite")
    {
        var fixture = new HelpdeskFixture();
        await fixture.Zendesk.StartAsync();
        var (connectors, settings) = ZendeskHub(fixture.Zendesk, "HUB_TEST_ZD");
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        fixture.Hub = await HubFactory.CreateAsync(backend, connectors: connectors, kestrel: true, settings: settings);
        fixture.Http = new HttpClient { BaseAddress = fixture.Hub.ServerAddress };
        return fixture;
    }

    /// <summary>
    /// The hub's connectors.json (web chat site, built-in bot, Zendesk "zendesk-eu" on <paramref name="zendesk"/>) and
    /// settings (fast helpdesk retries and polls, handoffs routed to the "support" queue). The fake's secrets go in
    /// environment variables named after <paramref name="envPrefix"/>: one prefix per fixture class, since test
    /// classes run side by side.
    /// </summary>
    public static (string Connectors, Dictionary<string, string?> Settings) ZendeskHub(ZendeskFake zendesk, string envPrefix)
    {
        Environment.SetEnvironmentVariable($"{envPrefix}_TOKEN", zendesk.ApiToken);
        Environment.SetEnvironmentVariable($"{envPrefix}_SIGNING", zendesk.SigningSecret);
        var connectors = $$"""
            {
              "connectors": [
                { "id": "web", "type": "webchat", "settings": { "title": "Test shop", "allowedOrigins": ["https://shop.example"] } },
                { "id": "bot", "type": "builtin-bot", "settings": {} },
                { "id": "zendesk-eu", "type": "zendesk", "settings": {
                    "baseUrl": "{{zendesk.BaseUrl}}", "email": "{{zendesk.Email}}",
                    "apiToken": "env:{{envPrefix}}_TOKEN", "webhookSigningSecret": "env:{{envPrefix}}_SIGNING",
                    "groups": { "support": 360001, "billing": 360002 },
                    "maxRetries": 0, "timeoutSeconds": 5, "circuitBreakSeconds": 1 } }
              ]
            }
            """;
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Helpdesk:RetryBaseSeconds"] = "0.2",
            ["Hub:Helpdesk:RetryMaxSeconds"] = "1",
            ["Hub:Helpdesk:PollSeconds"] = "0.2",
            ["Hub:Routing:Default:Name"] = "support",
            ["Hub:Routing:Default:Queue"] = "support",
        };
        return (connectors, settings);
    }

    /// <summary>A visitor who told the site their email, with an open conversation.</summary>
    public async Task<(HttpClient Client, string Token, string ConversationId)> CustomerAsync(string email = "jane@example.test")
    {
        var client = new HttpClient { BaseAddress = Hub.ServerAddress };
        var response = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user = new { email, name = "Jane Doe" } });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var created = await client.PostAsync("/api/webchat/conversations", null);
        return (client, session.VisitorToken, (await created.Content.ReadFromJsonAsync<ConversationResponse>())!.Id);
    }

    public static async Task<MessageResponse> SayAsync(HttpClient client, string conversationId, string text)
    {
        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{conversationId}/messages", new { text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PostMessageResponse>())!.Message;
    }

    /// <summary>Asks a question, then for a person: the bot hands off.</summary>
    public async Task HandOffAsync(HttpClient client, string conversationId)
    {
        var first = await SayAsync(client, conversationId, "Do you ship to the United States?");
        await Eventually.TrueAsync(async () => (await Store.GetMessagesAsync(conversationId, first.Sequence)).Any(m => m.Author == MessageAuthor.Bot), what: "the bot's answer");
        await SayAsync(client, conversationId, "I want to talk to a real person");
        await Eventually.TrueAsync(async () => (await Store.GetConversationAsync(conversationId))!.Mode == ConversationMode.Queued, what: "the handoff");
    }

    /// <summary>The outbox rows and the fake's requests, for failure messages.</summary>
    public async Task<string> DiagnoseAsync(string conversationId)
    {
        var rows = await Hub.Get<IntegrationHub.Hub.Storage.SqlTicketSyncStore>().ForConversationAsync(conversationId);
        var events = await Store.GetEventsAsync(conversationId);
        return string.Join("\n", rows.Select(r => $"outbox {r.ConnectorId} ticket={r.ExternalId} synced={r.SyncedSeq} wanted={r.WantedSeq} attempts={r.Attempts} error={r.LastError}")
            .Concat(events.Select(e => $"event {e.Kind} {e.Data}"))
            .Concat(Zendesk.Requests.Select(r => $"zendesk {r.Method} {r.Path}{r.Query}")));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Hub.DisposeAsync();
        await Zendesk.DisposeAsync();
    }
}
