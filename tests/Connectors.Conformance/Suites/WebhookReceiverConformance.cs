using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.FakeServers;

namespace IntegrationHub.Connectors.Conformance.Suites;

/// <summary>The <see cref="IWebhookReceiver"/> contract: the fake sends real, signed webhooks over HTTP.</summary>
public abstract class WebhookReceiverConformance : ConformanceBase
{
    IWebhookReceiver Receiver => (IWebhookReceiver)Connector;

    async Task<WebhookRequest> DeliverAsync(FakeWebhookKind kind, string ticketId, string text)
    {
        await using var sink = await WebhookSink.StartAsync();
        using var response = await Harness.Fake.SendWebhookAsync(sink.Url, kind, ticketId, text);
        Assert.True(sink.Received.TryDequeue(out var received));
        var url = new Uri(sink.Url, received!.Path + received.Query);
        return WebhookRequest.Create(received.Method, url, received.Headers, received.Body);
    }

    [Theory]
    [InlineData(FakeWebhookKind.AgentPublicReply, WebhookEventKind.AgentPublicReply)]
    [InlineData(FakeWebhookKind.InternalNote, WebhookEventKind.InternalNote)]
    public async Task ParseAsync_AgentComment_YieldsNeutralEvent(FakeWebhookKind kind, WebhookEventKind expected)
    {
        var (_, ticket) = await CreateTicketAsync("conv-hook");
        var request = await DeliverAsync(kind, ticket.ExternalId, "We refunded the invoice.");
        var verification = Receiver.Verify(request);
        Assert.True(verification.Valid, verification.Reason);
        var events = await Receiver.ParseAsync(request);
        var e = Assert.Single(events);
        Assert.Equal(expected, e.Kind);
        Assert.Equal(ticket.ExternalId, e.TicketExternalId);
        Assert.Contains("We refunded the invoice.", e.Body);
        Assert.False(string.IsNullOrEmpty(e.VendorEventId));
    }

    [Fact]
    public async Task ParseAsync_StatusSolved_YieldsStatusChanged()
    {
        var (_, ticket) = await CreateTicketAsync("conv-solve");
        var request = await DeliverAsync(FakeWebhookKind.StatusSolved, ticket.ExternalId, "");
        Assert.True(Receiver.Verify(request).Valid);
        var e = Assert.Single(await Receiver.ParseAsync(request));
        Assert.Equal(WebhookEventKind.StatusChanged, e.Kind);
        Assert.Equal("solved", e.Status);
        Assert.Equal(ticket.ExternalId, e.TicketExternalId);
    }

    [Fact]
    public async Task Verify_TamperedBody_IsRejected()
    {
        if (!Harness.WebhookBodySigned) return;
        var (_, ticket) = await CreateTicketAsync("conv-tamper");
        var request = await DeliverAsync(FakeWebhookKind.AgentPublicReply, ticket.ExternalId, "original text");
        var body = request.Body.ToArray();
        body[^2] ^= 0x01;
        var verification = Receiver.Verify(request with { Body = body });
        Assert.False(verification.Valid);
        Assert.False(string.IsNullOrEmpty(verification.Reason));
    }

    [Fact]
    public async Task Verify_MissingSignature_IsRejected()
    {
        var (_, ticket) = await CreateTicketAsync("conv-unsigned");
        var request = await DeliverAsync(FakeWebhookKind.AgentPublicReply, ticket.ExternalId, "x");
        var stripped = WebhookRequest.Create(request.Method, request.Url, [new("Content-Type", "application/json")], request.Body);
        Assert.False(Receiver.Verify(stripped).Valid);
    }
}
