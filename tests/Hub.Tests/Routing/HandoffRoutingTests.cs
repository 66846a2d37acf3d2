using System.Net.Http.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Tests.Helpdesk;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Routing;

/// <summary>Routing rules from Hub:Routing applied to a real handoff, with the Zendesk fake.</summary>
public sealed class HandoffRoutingTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;

    // A rule for the shipping intent on a queue that is never open (00:00–00:00), before the default route.
    public async Task InitializeAsync() => fixture = await HelpdeskFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Hub:Routing:Routes:0:Name"] = "shipping-night",
        ["Hub:Routing:Routes:0:Connector"] = "zendesk-eu",
        ["Hub:Routing:Routes:0:Intents:0"] = "shipping_cost",
        ["Hub:Routing:Routes:0:Queue"] = "billing",
        ["Hub:Routing:Routes:0:Priority"] = "urgent",
        ["Hub:Routing:Routes:0:Hours:TimeZone"] = "UTC",
        ["Hub:Routing:Routes:0:Hours:Days:0"] = "Mon",
        ["Hub:Routing:Routes:0:Hours:Days:1"] = "Tue",
        ["Hub:Routing:Routes:0:Hours:Days:2"] = "Wed",
        ["Hub:Routing:Routes:0:Hours:Days:3"] = "Thu",
        ["Hub:Routing:Routes:0:Hours:Days:4"] = "Fri",
        ["Hub:Routing:Routes:0:Hours:Days:5"] = "Sat",
        ["Hub:Routing:Routes:0:Hours:Days:6"] = "Sun",
        ["Hub:Routing:Routes:0:Hours:Open"] = "00:00",
        ["Hub:Routing:Routes:0:Hours:Close"] = "00:00",
    });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task Handoff_RuleMatchesIntent_TicketInItsGroupWithItsPriorityAndClosedQueueOpeningTold()
    {
        var (client, _, id) = await fixture.CustomerAsync();

        await fixture.HandOffAsync(client, id); // the first question is classified shipping_cost

        var ticket = await Eventually.ValueAsync(() => Task.FromResult(fixture.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the ticket");
        Assert.Equal("360002", ticket.Queue);
        Assert.Equal("urgent", ticket.Priority);
        var conversation = (await fixture.Store.GetConversationAsync(id))!;
        Assert.Equal("billing", conversation.Queue);
        Assert.Equal("urgent", conversation.Priority);
        var messages = (await client.GetFromJsonAsync<MessagesResponse>($"/api/webchat/conversations/{id}/messages"))!.Messages;
        Assert.Contains("offline right now and back at 00:00 UTC on", Assert.Single(messages, m => m.Author == "system").Body);
    }
}
