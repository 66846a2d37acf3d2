using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Conformance.Suites;
using IntegrationHub.FakeServers;
using IntegrationHub.FakeServers.Zendesk;

namespace IntegrationHub.Connectors.Conformance.Vendors;

/// <summary>
/// Zendesk reports every comment, the connector's own included: with an event-subscription webhook on the fake,
/// what the connector wrote (customer messages as the requester, hub notes as the API user) parses to nothing,
/// and only what an agent wrote becomes an event.
/// </summary>
public sealed class ZendeskWebhookEchoTests : ConformanceBase
{
    protected override VendorHarness CreateHarness() => new ZendeskHarness();

    ZendeskFake Zendesk => (ZendeskFake)Harness.Fake;

    HttpClient As(string email)
    {
        var http = new HttpClient { BaseAddress = Zendesk.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}/token:{Zendesk.ApiToken}")));
        return http;
    }

    [Fact]
    public async Task ParseAsync_CommentsTheConnectorWrote_SkippedAgentsCommentsKept()
    {
        await using var sink = await WebhookSink.StartAsync();
        using (var admin = As(Zendesk.Email))
            (await admin.PostAsJsonAsync("api/v2/webhooks", new { webhook = new { name = "hub", endpoint = sink.Url, http_method = "POST", request_format = "json", subscriptions = new[] { ZendeskFake.CommentAddedEvent } } }))
                .EnsureSuccessStatusCode();
        var (_, ticket) = await CreateTicketAsync("conv-echo");
        var sinkOf = (ITicketSink)Connector;
        var at = DateTimeOffset.UtcNow;

        await sinkOf.AppendMessagesAsync(ticket, [new TranscriptMessage(3, "customer", "public", "Where is my parcel?", at)]);
        await sinkOf.AppendMessagesAsync(ticket, [new TranscriptMessage(0, "bot", "internal", "Suggested reply: it ships today", at, "AI draft")]);
        using (var agent = As(ZendeskFake.AgentEmail))
        {
            (await agent.PutAsJsonAsync($"api/v2/tickets/{ticket.ExternalId}.json", new { ticket = new { comment = new { body = "Checking with the warehouse", @public = false } } })).EnsureSuccessStatusCode();
            (await agent.PutAsJsonAsync($"api/v2/tickets/{ticket.ExternalId}.json", new { ticket = new { comment = new { body = "It ships today", @public = true } } })).EnsureSuccessStatusCode();
        }
        await Zendesk.WebhookDeliveriesSettledAsync();

        var receiver = (IWebhookReceiver)Connector;
        var events = new List<WebhookEvent>();
        Assert.Equal(4, sink.Received.Count);
        foreach (var received in sink.Received)
        {
            var request = WebhookRequest.Create(received.Method, new Uri(sink.Url, received.Path + received.Query), received.Headers, received.Body);
            Assert.True(receiver.Verify(request).Valid);
            events.AddRange(await receiver.ParseAsync(request));
        }
        Assert.Collection(events,
            note => Assert.Equal((WebhookEventKind.InternalNote, "Checking with the warehouse", ZendeskFake.AgentName), (note.Kind, note.Body, note.AuthorName)),
            reply => Assert.Equal((WebhookEventKind.AgentPublicReply, "It ships today", ZendeskFake.AgentName), (reply.Kind, reply.Body, reply.AuthorName)));
    }
}
