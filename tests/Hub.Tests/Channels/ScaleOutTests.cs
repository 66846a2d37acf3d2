using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Channels;

/// <summary>Two hub nodes on one PostgreSQL database: live events cross nodes (LISTEN/NOTIFY).</summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    TestDatabase database = null!;
    HubFactory nodeA = null!, nodeB = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("postgres");
        nodeA = await HubFactory.CreateAsync(kestrel: true, sharedDatabase: database);
        nodeB = await HubFactory.CreateAsync(kestrel: true, sharedDatabase: database);
        _ = nodeA.ServerAddress; // start A first: it migrates the schema
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Reply_PostedOnNodeA_ReachesWidgetStreamOnNodeB()
    {
        using var client = new HttpClient { BaseAddress = nodeB.ServerAddress };
        var session = (await (await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" })).Content.ReadFromJsonAsync<SessionResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var conversation = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!;
        using var response = await client.GetAsync($"/api/webchat/conversations/{conversation.Id}/events?token={Uri.EscapeDataString(session.VisitorToken)}", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await stream.NextAsync()).Type);

        // Node A (say, where the helpdesk webhook landed) posts; node B holds the widget's stream.
        var conversations = nodeA.Get<ConversationService>();
        await conversations.PostAsync(conversation.Id, MessageAuthor.Agent, "Hello from node A", authorName: "Sam");
        var delivered = await stream.NextOfTypeAsync("message", timeoutMs: 5_000);
        conversations.Typing(conversation.Id, MessageAuthor.Agent, true, "Sam");
        var typing = await stream.NextOfTypeAsync("typing", timeoutMs: 5_000);

        Assert.Equal("Hello from node A", JsonDocument.Parse(delivered.Data).RootElement.GetProperty("body").GetString());
        Assert.True(JsonDocument.Parse(typing.Data).RootElement.GetProperty("typing").GetBoolean());
    }
}
