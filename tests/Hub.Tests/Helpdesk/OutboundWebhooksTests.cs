using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Support;
using IntegrationHub.FakeServers;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>Outbound webhook subscriptions: signed deliveries of hub events to a loopback receiver, retries, logging, disabling.</summary>
public sealed class OutboundWebhooksTests : IAsyncLifetime
{
    HelpdeskFixture fixture = null!;
    WebhookSink sink = null!;

    public async Task InitializeAsync()
    {
        sink = await WebhookSink.StartAsync();
        fixture = await HelpdeskFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Hub:OutboundWebhooks:RetryBaseSeconds"] = "0.05",
            ["Hub:OutboundWebhooks:RetryMaxSeconds"] = "0.2",
            ["Hub:OutboundWebhooks:DisableAfterFailures"] = "3",
            ["Hub:OutboundWebhooks:PollSeconds"] = "0.1",
            ["Hub:Csat:Enabled"] = "true",
            ["Hub:Csat:DelaySeconds"] = "0.2",
        });
    }

    public async Task DisposeAsync()
    {
        await fixture.DisposeAsync();
        await sink.DisposeAsync();
    }

    async Task<(string Id, string Secret)> SubscribeAsync(params string[] events)
    {
        var response = await fixture.Http.PostAsJsonAsync("/api/admin/webhook-subscriptions", new { url = sink.Url.ToString(), events });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (doc.RootElement.GetProperty("id").GetString()!, doc.RootElement.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task Handoff_Subscribed_SignedDeliveryReceivedAndLogged()
    {
        var (subscriptionId, secret) = await SubscribeAsync("conversation.handoff");
        var (client, _, id) = await fixture.CustomerAsync();

        await fixture.HandOffAsync(client, id);

        var delivery = await Eventually.ValueAsync(() => Task.FromResult(sink.Received.FirstOrDefault()), what: "the delivery");
        Assert.Equal("conversation.handoff", delivery.Headers["X-Hub-Event"]);
        var request = WebhookRequest.Create("POST", sink.Url, delivery.Headers, delivery.Body);
        Assert.True(HubWebhookSignature.Verify(request, secret).Valid);
        Assert.False(HubWebhookSignature.Verify(request, "another-secret").Valid);
        using var payload = JsonDocument.Parse(delivery.Body);
        Assert.Equal(id, payload.RootElement.GetProperty("conversationId").GetString());
        Assert.Equal("support", payload.RootElement.GetProperty("data").GetProperty("queue").GetString());
        Assert.Single(sink.Received); // subscribed to handoffs only: no message or creation events
        var log = await Eventually.ValueAsync(async () =>
        {
            var text = await fixture.Http.GetStringAsync($"/api/admin/webhook-subscriptions/{subscriptionId}/deliveries");
            return text.Contains("\"lastStatus\":200") ? text : null;
        }, what: "the delivery log");
        Assert.Contains("\"deliveredAt\":\"", log);
    }

    [Fact]
    public async Task FailingReceiver_RetriedThenDisabledWithReasonThenReEnabledAndDelivered()
    {
        sink.Respond = _ => (500, "{\"error\":\"down\"}");
        var (subscriptionId, _) = await SubscribeAsync("conversation.created");

        await fixture.CustomerAsync();

        var disabled = await Eventually.ValueAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/admin/webhook-subscriptions/"));
            var row = doc.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == subscriptionId);
            return row.GetProperty("enabled").GetBoolean() ? null : row.GetProperty("disabledReason").GetString();
        }, what: "the disabled subscription");
        Assert.Contains("3 consecutive failed deliveries", disabled);
        Assert.Contains("HTTP 500", disabled);
        Assert.Equal(3, sink.Received.Count);
        var log = await fixture.Http.GetStringAsync($"/api/admin/webhook-subscriptions/{subscriptionId}/deliveries");
        Assert.Contains("\"attempts\":3", log);
        Assert.Contains("\"lastStatus\":500", log);
        Assert.Contains("down", log);

        sink.Respond = _ => (200, "{}");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.PostAsync($"/api/admin/webhook-subscriptions/{subscriptionId}/enable", null)).StatusCode);

        await Eventually.TrueAsync(async () =>
            (await fixture.Http.GetStringAsync($"/api/admin/webhook-subscriptions/{subscriptionId}/deliveries")).Contains("\"lastStatus\":200"), what: "the delivery after re-enabling");
        Assert.Equal(4, sink.Received.Count);
    }

    [Fact]
    public async Task CsatAnswered_Subscribed_SignedCsatReceivedDeliveredOnce()
    {
        var (_, secret) = await SubscribeAsync("csat.received");
        var (client, _, id) = await fixture.CustomerAsync();
        await HelpdeskFixture.SayAsync(client, id, "Do you ship to the United States?");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.PostAsync($"/api/admin/conversations/{id}/close", null)).StatusCode);
        await Eventually.TrueAsync(async () =>
            (await fixture.Http.GetAsync($"/api/admin/conversations/{id}/csat")) is { IsSuccessStatusCode: true } r &&
            (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString() == "sent", 30_000, "the survey");

        var answer = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/csat", new { rating = 4, comment = "quick, card 4111 1111 1111 1111" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/csat", new { rating = 1 })).StatusCode);

        var delivery = await Eventually.ValueAsync(() => Task.FromResult(sink.Received.FirstOrDefault()), what: "the csat.received delivery");
        Assert.Equal("csat.received", delivery.Headers["X-Hub-Event"]);
        var request = WebhookRequest.Create("POST", sink.Url, delivery.Headers, delivery.Body);
        Assert.True(HubWebhookSignature.Verify(request, secret).Valid);
        Assert.False(HubWebhookSignature.Verify(request, "another-secret").Valid);
        using var payload = JsonDocument.Parse(delivery.Body);
        Assert.Equal(id, payload.RootElement.GetProperty("conversationId").GetString());
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal(4, data.GetProperty("rating").GetInt32());
        Assert.StartsWith("quick", data.GetProperty("comment").GetString());
        Assert.DoesNotContain("4111 1111 1111 1111", delivery.BodyText); // redacted before it leaves the hub
        Assert.True(data.GetProperty("botOnly").GetBoolean());
        Assert.Equal("webchat", data.GetProperty("channel").GetString());
        await Task.Delay(500);
        Assert.Single(sink.Received); // the refused second answer published nothing
    }

    [Fact]
    public async Task Subscribe_BadUrlOrUnknownEvent_400WithReason()
    {
        var badUrl = await fixture.Http.PostAsJsonAsync("/api/admin/webhook-subscriptions", new { url = "not a url", events = new[] { "conversation.closed" } });
        var badEvent = await fixture.Http.PostAsJsonAsync("/api/admin/webhook-subscriptions", new { url = sink.Url.ToString(), events = new[] { "ticket.exploded" } });

        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.Contains("not a url", await badUrl.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badEvent.StatusCode);
        Assert.Contains("conversation.handoff", await badEvent.Content.ReadAsStringAsync());
    }
}
