using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>
/// A customer message is acknowledged once stored; the bot's turn follows from memory. A node that stops in between
/// leaves the customer waiting, so the next start answers such messages, and only those.
/// </summary>
public sealed class UnansweredTurnsTests
{
    const string Question = "How long does a refund take to reach my card?";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Restart_MessageStoredButNeverAnswered_TheBotAnswersItOnce(string backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend);
        string unanswered, answered, queued;
        await using (var before = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, sharedDatabase: database))
        {
            var (client, _) = await before.VisitorAsync();
            var store = before.Get<IConversationStore>();
            async Task<string> StartAsync() =>
                (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;

            // Stored the way the channel stores it, with the node stopping before the turn: no wake-up was queued.
            unanswered = await StartAsync();
            await store.AppendMessageAsync(new NewMessage(unanswered, MessageAuthor.Customer, Question));

            answered = await StartAsync();
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/webchat/conversations/{answered}/messages", new { text = Question })).StatusCode);
            await Eventually.ValueAsync(async () => (await store.GetMessagesAsync(answered)).FirstOrDefault(m => m.Author == MessageAuthor.Bot), what: "the live answer");

            // Waiting for a person: not the bot's to answer.
            queued = await StartAsync();
            await store.UpdateConversationAsync(queued, new ConversationUpdate(Mode: ConversationMode.Queued), ConversationEventKinds.StatusChanged);
            await store.AppendMessageAsync(new NewMessage(queued, MessageAuthor.Customer, Question));

            Assert.Equal([unanswered], await store.ListAwaitingBotAsync(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1), 10));
            Assert.Empty(await store.ListAwaitingBotAsync(DateTimeOffset.UtcNow.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(2), 10));
        }

        await using var after = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, sharedDatabase: database,
            settings: new Dictionary<string, string?> { ["Hub:UnansweredTurns:DelaySeconds"] = "0" });
        var restarted = after.Get<IConversationStore>();

        var reply = await Eventually.ValueAsync(async () => (await restarted.GetMessagesAsync(unanswered)).FirstOrDefault(m => m.Author == MessageAuthor.Bot),
            what: "the late answer");
        Assert.Contains("within 5 working days", reply.Body);
        // The recovery has run once it answered; give a wrong second turn time to show.
        await Task.Delay(500);
        Assert.Single(await restarted.GetMessagesAsync(unanswered), m => m.Author == MessageAuthor.Bot);
        Assert.Single(await restarted.GetMessagesAsync(answered), m => m.Author == MessageAuthor.Bot);
        Assert.DoesNotContain(await restarted.GetMessagesAsync(queued), m => m.Author == MessageAuthor.Bot);
    }
}
