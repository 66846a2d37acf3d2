using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.FakeServers.Zendesk;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>A Zendesk fake and the connectors.json / settings that make the hub sync transcripts to it as connector "zd".</summary>
public static class TranscriptSyncHarness
{
    // Its own name: ConnectorsConfigurationTests sets HUB_TEST_ZENDESK_TOKEN to another value while tests run in parallel.
    public const string TokenVariable = "HUB_TEST_TRANSCRIPT_ZD_TOKEN";

    public static async Task<ZendeskFake> StartZendeskAsync()
    {
        var fake = new ZendeskFake();
        await fake.StartAsync();
        Environment.SetEnvironmentVariable(TokenVariable, fake.ApiToken);
        return fake;
    }

    /// <summary>Web chat plus Zendesk; the connector's own retries are off so the job's backoff is what is tested.</summary>
    public static string Connectors(ZendeskFake fake, double timeoutSeconds = 10) => $$"""
        {
          "connectors": [
            { "id": "web", "type": "webchat", "settings": { "title": "Test shop", "allowedOrigins": ["https://shop.example"], "identitySecret": "env:HUB_TEST_IDENTITY_SECRET" } },
            { "id": "zd", "type": "zendesk", "settings": { "baseUrl": "{{fake.BaseUrl}}", "email": "{{fake.Email}}", "apiToken": "env:{{TokenVariable}}",
                "maxRetries": 0, "timeoutSeconds": {{timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }
          ]
        }
        """;

    public static Dictionary<string, string?> Settings(int maxAttempts = 5, double firstRetrySeconds = 0.5) => new()
    {
        ["Hub:TranscriptSync:Connectors:0"] = "zd",
        ["Hub:TranscriptSync:MaxAttempts"] = maxAttempts.ToString(),
        ["Hub:TranscriptSync:FirstRetrySeconds"] = firstRetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A conversation by a visitor who gave an email, with the given customer messages; returns its id.</summary>
    public static async Task<string> ConversationAsync(HttpClient hub, params string[] texts) => (await VisitorConversationAsync(hub, texts)).Id;

    /// <summary>As <see cref="ConversationAsync"/>, with the visitor's token for further visitor calls.</summary>
    public static async Task<(string Id, string Token)> VisitorConversationAsync(HttpClient hub, params string[] texts)
    {
        var session = await (await hub.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user = new { email = "jane@example.test", name = "Jane" } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var token = session.GetProperty("visitorToken").GetString()!;
        var conversation = await (await hub.SendAsync(AsVisitor(HttpMethod.Post, "/api/webchat/conversations", token, new { })))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = conversation.GetProperty("id").GetString()!;
        foreach (var text in texts)
            (await hub.SendAsync(AsVisitor(HttpMethod.Post, $"/api/webchat/conversations/{id}/messages", token, new { text }))).EnsureSuccessStatusCode();
        return (id, token);
    }

    public static HttpRequestMessage AsVisitor(HttpMethod method, string path, string token, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    public static async Task CloseAsync(HttpClient hub, string conversationId) =>
        (await hub.PostAsync($"/api/admin/conversations/{conversationId}/close", null)).EnsureSuccessStatusCode();

    /// <summary>The sync row as the admin API shows it, or null (404).</summary>
    public static async Task<JsonElement?> SyncAsync(HttpClient hub, string conversationId)
    {
        var response = await hub.GetAsync($"/api/admin/transcript-syncs/{conversationId}/zd");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        return await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> SyncInStateAsync(HttpClient hub, string conversationId, string state, int timeoutMs = 30_000)
    {
        JsonElement? last = null;
        try
        {
            return (JsonElement)await Support.Eventually.ValueAsync(async () =>
                (last = await SyncAsync(hub, conversationId)) is { } sync && sync.GetProperty("state").GetString() == state ? (object)sync : null,
                timeoutMs, $"transcript sync of {conversationId} to be {state}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen: {(last is { } row ? row.GetRawText() : "no row")}", e);
        }
    }
}
