using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>
/// An agent's reply draft (POST /api/admin/conversations/{id}/draft) for a conversation the bot handed off,
/// asked for before any agent has replied: the draft answers the customer's question, not their request for a person.
/// </summary>
public sealed class BotDraftTests
{
    static async Task<MessageResponse> SayAsync(HttpClient client, string conversationId, string text)
    {
        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{conversationId}/messages", new { text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PostMessageResponse>())!.Message;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Draft_HandedOffBeforeAnyAgentReply_DraftsFromTheQuestionWithItsSource(string backend)
    {
        await using var hub = await HubFactory.CreateAsync(backend, HubFactory.BotConnectors);
        var store = hub.Get<IConversationStore>();
        var (client, _) = await hub.VisitorAsync(new { name = "Ana Smith" });
        var id = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;
        var question = await SayAsync(client, id, "How long does a refund take?");
        await Eventually.TrueAsync(async () => (await store.GetMessagesAsync(id, question.Sequence)).Any(m => m.Author == MessageAuthor.Bot), what: "the bot's answer");
        await SayAsync(client, id, "That didn't help. I want to talk to a real person!");
        await Eventually.TrueAsync(async () => (await store.GetConversationAsync(id))!.Mode != ConversationMode.Bot, what: "the handoff");

        var response = await hub.CreateClient().PostAsJsonAsync($"/api/admin/conversations/{id}/draft", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var draft = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(draft.GetProperty("grounded").GetBoolean(), draft.ToString());
        Assert.StartsWith("Hi Ana,", draft.GetProperty("text").GetString());
        Assert.Contains("5 working days", draft.GetProperty("text").GetString());
        Assert.Equal("/knowledge/sample/returns.html#refund-timing", draft.GetProperty("citations")[0].GetProperty("url").GetString());
    }
}
