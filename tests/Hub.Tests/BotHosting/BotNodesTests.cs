using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>
/// Two hub nodes over one database: an intent or FAQ change made through one node's API retrains the classifier
/// and re-indexes the knowledge on the other at its next turn (each node watches the stored revision).
/// </summary>
public sealed class BotNodesTests
{
    const string GiftCardQuestion = "can I pay with a gift voucher card";
    const string LoyaltyQuestion = "Is there a loyalty scheme where I collect points?";

    static async Task<JsonElement> PreviewAsync(HttpClient client, string text)
    {
        var response = await client.PostAsJsonAsync("/api/admin/bot/preview", new { text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ChangesThroughOneNode_TheOtherNodeRetrainsAndReindexesAtItsNextTurn(string backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend);
        await using var nodeA = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, sharedDatabase: database);
        var a = nodeA.CreateClient();
        await using var nodeB = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, sharedDatabase: database);
        var b = nodeB.CreateClient();
        // Node B has built its classifier and index before the changes.
        Assert.NotEqual("gift_cards", (await PreviewAsync(b, GiftCardQuestion)).GetProperty("intent").GetString());
        Assert.DoesNotContain("one point per pound", (await PreviewAsync(b, LoyaltyQuestion)).GetProperty("text").GetString());
        Assert.Equal("reset_password", (await PreviewAsync(b, "I forgot my password and cannot log in")).GetProperty("intent").GetString());

        Assert.Equal(HttpStatusCode.Created, (await a.PutAsJsonAsync("/api/admin/bot/intents/gift_cards", new
        {
            displayName = "Gift cards",
            examples = new[] { "can i pay with a gift card", "gift voucher balance", "redeem my gift card", "do you sell gift cards", "gift card not working" },
            answer = "Gift cards can be used at checkout under Payment.",
        })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync("/api/admin/bot/intents/reset_password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync("/api/admin/bot/knowledge/faq/loyalty",
            new { question = "Do you have a loyalty scheme?", answer = "Loyalty members collect one point per pound spent, redeemable at checkout.", url = "https://shop.example/help/loyalty" })).StatusCode);

        var giftCards = await PreviewAsync(b, GiftCardQuestion);
        var loyalty = await PreviewAsync(b, LoyaltyQuestion);
        var password = await PreviewAsync(b, "I forgot my password and cannot log in");

        Assert.Equal("gift_cards", giftCards.GetProperty("intent").GetString());
        Assert.Equal("Gift cards can be used at checkout under Payment.", giftCards.GetProperty("text").GetString());
        Assert.Contains("one point per pound", loyalty.GetProperty("text").GetString());
        Assert.Equal("https://shop.example/help/loyalty", loyalty.GetProperty("citations")[0].GetProperty("url").GetString());
        Assert.NotEqual("reset_password", password.GetProperty("intent").GetString());
        // Both nodes now answer alike.
        foreach (var question in new[] { GiftCardQuestion, LoyaltyQuestion, "I forgot my password and cannot log in" })
            Assert.Equal((await PreviewAsync(a, question)).GetRawText(), (await PreviewAsync(b, question)).GetRawText());
    }
}
