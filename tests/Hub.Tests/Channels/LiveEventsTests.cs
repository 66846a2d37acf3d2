using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Channels;

/// <summary>The SSE stream over a real socket: delivery, resume after reconnect, typing, receipts, internal notes.</summary>
public sealed class LiveEventsTests : IAsyncLifetime
{
    HubFactory hub = null!;
    HttpClient client = null!;
    string conversationId = "";
    string token = "";

    public async Task InitializeAsync()
    {
        hub = await HubFactory.CreateAsync(kestrel: true);
        client = new HttpClient { BaseAddress = hub.ServerAddress };
        var session = (await (await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" })).Content.ReadFromJsonAsync<SessionResponse>())!;
        token = session.VisitorToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var conversation = await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>();
        conversationId = conversation!.Id;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await hub.DisposeAsync();
    }

    async Task<(SseReader Reader, HttpResponseMessage Response)> OpenAsync(long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/webchat/conversations/{conversationId}/events?token={Uri.EscapeDataString(token)}");
        if (lastEventId is { } id) request.Headers.Add("Last-Event-ID", id.ToString());
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync()).Type);
        return (reader, response);
    }

    Task<Message> PostAsync(MessageAuthor author, string body, MessageVisibility visibility = MessageVisibility.Public) =>
        hub.Get<ConversationService>().PostAsync(conversationId, author, body, visibility, author == MessageAuthor.Agent ? "Sam" : null);

    static string Body(SseReader.Event e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("body").GetString()!;

    [Fact]
    public async Task Stream_AgentReply_DeliveredWithSequenceAsEventId()
    {
        var (reader, response) = await OpenAsync();
        using (reader) using (response)
        {
            var posted = await PostAsync(MessageAuthor.Agent, "Hello from Sam");
            var delivered = await reader.NextOfTypeAsync("message");
            Assert.Equal(posted.Sequence.ToString(), delivered.Id);
            Assert.Equal("Hello from Sam", Body(delivered));
            Assert.Equal("Sam", JsonDocument.Parse(delivered.Data).RootElement.GetProperty("authorName").GetString());
        }
    }

    [Fact]
    public async Task Stream_Reconnect_ResumesAfterLastEventIdWithoutLossOrRepeat()
    {
        var (reader, response) = await OpenAsync();
        long lastSeen;
        using (reader) using (response)
        {
            await PostAsync(MessageAuthor.Bot, "one");
            await PostAsync(MessageAuthor.Bot, "two");
            Assert.Equal("one", Body(await reader.NextOfTypeAsync("message")));
            lastSeen = long.Parse((await reader.NextOfTypeAsync("message")).Id!);
        }
        // Disconnected: these arrive while nobody is watching.
        await PostAsync(MessageAuthor.Bot, "three");
        await PostAsync(MessageAuthor.Agent, "internal", MessageVisibility.Internal);
        await PostAsync(MessageAuthor.Bot, "four");

        var (again, againResponse) = await OpenAsync(lastEventId: lastSeen);
        using (again) using (againResponse)
        {
            Assert.Equal("three", Body(await again.NextOfTypeAsync("message")));
            Assert.Equal("four", Body(await again.NextOfTypeAsync("message")));
            await PostAsync(MessageAuthor.Bot, "five");
            Assert.Equal("five", Body(await again.NextOfTypeAsync("message")));
        }
    }

    [Fact]
    public async Task Stream_ManyConcurrentPosts_EachDeliveredOnceInOrder()
    {
        var (reader, response) = await OpenAsync();
        using (reader) using (response)
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => PostAsync(MessageAuthor.Bot, $"m{i}")));
            var sequences = new List<long>();
            for (var i = 0; i < 40; i++) sequences.Add(long.Parse((await reader.NextOfTypeAsync("message")).Id!));
            Assert.Equal(sequences.Order(), sequences);
            Assert.Equal(40, sequences.Distinct().Count());
        }
    }

    [Fact]
    public async Task Stream_TypingAndReadReceipts_Pushed()
    {
        var (reader, response) = await OpenAsync();
        using (reader) using (response)
        {
            var conversations = hub.Get<ConversationService>();
            conversations.Typing(conversationId, MessageAuthor.Agent, true, "Sam");
            var typing = JsonDocument.Parse((await reader.NextOfTypeAsync("typing")).Data).RootElement;
            Assert.True(typing.GetProperty("typing").GetBoolean());
            Assert.Equal("Sam", typing.GetProperty("name").GetString());

            await client.PostAsJsonAsync($"/api/webchat/conversations/{conversationId}/messages", new { text = "hi" });
            await conversations.MarkReadAsync(conversationId, byCustomer: false, 1);
            var read = JsonDocument.Parse((await reader.NextOfTypeAsync("read")).Data).RootElement;
            Assert.Equal("agent", read.GetProperty("by").GetString());
            Assert.Equal(1, read.GetProperty("sequence").GetInt64());
        }
    }

    [Fact]
    public async Task Stream_InvalidToken_401()
    {
        using var anonymous = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await anonymous.GetAsync($"/api/webchat/conversations/{conversationId}/events?token=v1.x.y");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
