using System.Net;
using System.Net.Http.Json;
using Dapper;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>Sensitive data never reaches the database, whichever channel configuration is in force.</summary>
public sealed class RedactionTests
{
    const string Card = "4111 1111 1111 1111";

    public static TheoryData<string, string> Configurations => new()
    {
        { HubFactory.DefaultConnectors, "sqlite" }, { HubFactory.BotConnectors, "sqlite" },
        { HubFactory.DefaultConnectors, "postgres" }, { HubFactory.BotConnectors, "postgres" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task PostMessage_CardNumber_MaskedBeforeItIsStored(string connectors, string backend)
    {
        await using var hub = await HubFactory.CreateAsync(backend, connectors);
        var (client, _) = await hub.VisitorAsync();
        var id = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;

        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = $"my card is {Card}, expiry 12/29" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("my card is **** **** **** 1111, expiry 12/29", (await response.Content.ReadFromJsonAsync<PostMessageResponse>())!.Message.Body);
        // Let the automation act on it (bot reply or offline notice), then look at every row that could hold text.
        await Eventually.TrueAsync(async () => (await hub.Get<IConversationStore>().GetMessagesAsync(id)).Count > 1, what: "the hub's answer");
        await using var connection = await hub.Get<SqlDialect>().OpenAsync(default);
        var texts = (await connection.QueryAsync<string>("SELECT body FROM messages")).Concat(await connection.QueryAsync<string>("SELECT data FROM conversation_events"))
            .Concat(await connection.QueryAsync<string>("SELECT COALESCE(bot_state, '') FROM conversations"));
        Assert.DoesNotContain(texts, t => t.Replace(" ", "").Contains("4111111111111111"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PostMessage_ConfiguredPattern_MaskedWithItsName(string backend)
    {
        await using var hub = await HubFactory.CreateAsync(backend, HubFactory.BotConnectors);
        var (client, _) = await hub.VisitorAsync();
        var id = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;

        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "refund to GB33BUKB20201555555555 please" });

        Assert.Equal("refund to [redacted iban] please", (await response.Content.ReadFromJsonAsync<PostMessageResponse>())!.Message.Body);
        Assert.Equal("refund to [redacted iban] please", (await hub.Get<IConversationStore>().GetMessagesAsync(id))[0].Body);
    }
}
