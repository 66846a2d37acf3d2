using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Bot;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>Customers talking to the bot through the web chat API, with the built-in bot enabled and no ticketing connector.</summary>
public sealed class BotConversationTests : IAsyncLifetime
{
    HubFactory hub = null!;

    async Task StartAsync(string backend) => hub = await HubFactory.CreateAsync(backend, HubFactory.BotConnectors);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (hub is not null) await hub.DisposeAsync();
    }

    IConversationStore Store => hub.Get<IConversationStore>();

    async Task<(HttpClient Client, string ConversationId)> ConversationAsync()
    {
        var (client, session) = await hub.VisitorAsync();
        Assert.True(session.Availability.BotEnabled);
        var created = await client.PostAsync("/api/webchat/conversations", null);
        return (client, (await created.Content.ReadFromJsonAsync<ConversationResponse>())!.Id);
    }

    async Task<MessageResponse> SayAsync(HttpClient client, string conversationId, string text)
    {
        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{conversationId}/messages", new { text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PostMessageResponse>())!.Message;
    }

    /// <summary>The bot's reply to the customer message at <paramref name="after"/>, read the way the widget reads it.</summary>
    static Task<MessageResponse> BotReplyAsync(HttpClient client, string conversationId, long after) =>
        Eventually.ValueAsync(async () =>
            (await client.GetFromJsonAsync<MessagesResponse>($"/api/webchat/conversations/{conversationId}/messages?after={after}"))!
                .Messages.FirstOrDefault(m => m.Author == "bot"), what: "the bot's reply");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PostMessage_SampleKnowledgeQuestion_GroundedAnswerCitingTheSamplePage(string backend)
    {
        await StartAsync(backend);
        var (client, id) = await ConversationAsync();

        var question = await SayAsync(client, id, "How long does a refund take to reach my card?");
        var reply = await BotReplyAsync(client, id, question.Sequence);

        Assert.Contains("within 5 working days", reply.Body);
        Assert.Contains("Source: Returns and refunds › Refund timing (/knowledge/sample/returns.html#refund-timing)", reply.Body);
        var conversation = await Eventually.ValueAsync(async () =>
            await Store.GetConversationAsync(id) is { BotState: not null } c ? c : null, what: "the stored bot state");
        Assert.Equal(ConversationMode.Bot, conversation.Mode);
        Assert.Equal("refund_status", conversation.Intent);
        Assert.Equal(question.Sequence, conversation.AgentReadSequence);
        var state = JsonSerializer.Deserialize<BotState>(conversation.BotState!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal("/knowledge/sample/returns.html#refund-timing", Assert.Single(state.Citations).Url);
        var turn = Assert.Single(await Store.GetEventsAsync(id), e => e.Kind == ConversationEventKinds.BotTurn);
        Assert.Contains("\"action\":\"answer\"", turn.Data);

        // The cited link opens the page at the cited section.
        var page = await client.GetAsync("/knowledge/sample/returns.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"refund-timing\"", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PostMessage_UnclearMessage_BotAsksToClarifyAndStaysInBotMode(string backend)
    {
        await StartAsync(backend);
        var (client, id) = await ConversationAsync();

        var message = await SayAsync(client, id, "purple elephant trombone");
        var reply = await BotReplyAsync(client, id, message.Sequence);

        Assert.Contains("not sure I understood", reply.Body);
        Assert.Equal(ConversationMode.Bot, (await Store.GetConversationAsync(id))!.Mode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PostMessage_AskForAPerson_QueuedWithPacketEventAndHonestNotice(string backend)
    {
        await StartAsync(backend);
        var (client, id) = await ConversationAsync();
        var first = await SayAsync(client, id, "Do you ship to the United States?");
        await BotReplyAsync(client, id, first.Sequence);

        var ask = await SayAsync(client, id, "I want to talk to a real person");
        var notice = await BotReplyAsync(client, id, ask.Sequence);

        // No ticketing connector: nobody would pick the chat up, so the bot says so and asks for an email.
        Assert.StartsWith("I'd like to pass you to a member of our team.", notice.Body);
        Assert.Contains(new WebChatSettings().OfflineMessage, notice.Body);
        var handoff = await Eventually.ValueAsync(async () =>
            (await Store.GetEventsAsync(id)).FirstOrDefault(e => e.Kind == ConversationEventKinds.Handoff), what: "the handoff event");
        using var data = JsonDocument.Parse(handoff.Data);
        Assert.Equal("customer-request", data.RootElement.GetProperty("reason").GetString());
        Assert.False(data.RootElement.GetProperty("humansAvailable").GetBoolean());
        Assert.Contains("I want to talk to a real person", data.RootElement.GetProperty("summary").GetString());
        var packet = data.RootElement.GetProperty("packet");
        Assert.Equal(id, packet.GetProperty("conversationId").GetString());
        Assert.Equal(["Do you ship to the United States?", "I want to talk to a real person"],
            packet.GetProperty("transcript").EnumerateArray().Where(m => m.GetProperty("author").GetString() == "customer").Select(m => m.GetProperty("body").GetString()));
        Assert.Equal("anonymous", packet.GetProperty("contact").GetProperty("identityStatus").GetString());

        var conversation = (await client.GetFromJsonAsync<ConversationResponse>($"/api/webchat/conversations/{id}"))!;
        Assert.Equal("queued", conversation.Mode);
        Assert.True(conversation.CaptureContact);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PostMessage_FrustratedCustomer_HandedOffForFrustrationWithHighPriority(string backend)
    {
        await StartAsync(backend);
        var (client, id) = await ConversationAsync();

        var message = await SayAsync(client, id, "This is ridiculous, the worst service ever, I am furious!!");
        await BotReplyAsync(client, id, message.Sequence);

        var conversation = await Eventually.ValueAsync(async () =>
            await Store.GetConversationAsync(id) is { Mode: ConversationMode.Queued } c ? c : null, what: "the queued conversation");
        Assert.Equal("high", conversation.Priority);
        Assert.Contains("\"reason\":\"frustration\"", Assert.Single(await Store.GetEventsAsync(id), e => e.Kind == ConversationEventKinds.Handoff).Data);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PostMessage_TwoQuickMessages_AnsweredOnceAfterTheLatest(string backend)
    {
        await StartAsync(backend);
        var (client, id) = await ConversationAsync();

        // Stored without waking the bot, as when the bot is still busy as the second message arrives:
        // one turn then sees both and answers once, after the latest.
        await Store.AppendMessageAsync(new NewMessage(id, MessageAuthor.Customer, "hello"));
        var second = await SayAsync(client, id, "How much does express delivery cost?");
        await BotReplyAsync(client, id, second.Sequence);
        // Both wake-ups have been handled once the next turn is answered.
        var third = await SayAsync(client, id, "How long do I have to return an item?");
        await BotReplyAsync(client, id, third.Sequence);

        var authors = (await Store.GetMessagesAsync(id)).Select(m => m.Author).ToList();
        Assert.Equal(2, authors.Count(a => a == MessageAuthor.Bot));
        Assert.Equal(MessageAuthor.Bot, authors[^1]);
    }
}
