using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;
using IntegrationHub.Connectors.Webhook.Api;
using IntegrationHub.Connectors.Webhook.Mapping;
using IntegrationHub.Connectors.Webhook.Webhooks;

namespace IntegrationHub.Connectors.Webhook;

/// <summary>
/// For in-house systems: every ticket operation is one signed JSON POST to one URL, with an
/// <c>Idempotency-Key</c> (so it is retried safely); replies come back signed the same way.
/// </summary>
internal sealed class WebhookConnector : VendorConnector, ITicketSink, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(WebhookConnector).Assembly, "Webhook");
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    readonly SignedEventClient client;

    public WebhookConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        var options = config.Bind<WebhookOptions>();
        var url = new Uri(options.Url);
        var httpClient = http.Create(Id, new Uri(url.GetLeftPart(UriPartial.Authority) + "/"), Policy(Defaults), null, out _);
        client = new SignedEventClient(new VendorApiClient(Id, httpClient, SignedEventClient.ReadError), url, () => Secret("signingSecret"), http.Time);
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        await client.PostAsync("ping", [], SignedEventClient.Key("ping", Guid.NewGuid().ToString()), cancellationToken);
        return "the endpoint accepted a signed ping";
    });

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        // The key depends on the conversation only: a repeated create is the same event to the receiver.
        var response = await client.PostAsync("ticket.create", WebhookPayloads.Ticket(packet, requester), SignedEventClient.Key("create", packet.ConversationId), cancellationToken);
        return new TicketReference(Id, response?["id"]?.ToString() ?? packet.ConversationId, response?["url"]?.ToString());
    }

    public Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return Task.CompletedTask;
        var payload = new JsonObject { ["ticketId"] = ticket.ExternalId, ["messages"] = WebhookPayloads.Messages(messages) };
        var key = SignedEventClient.Key("messages", ticket.ExternalId, string.Join(",", messages.Select(m => m.Sequence).Order()));
        return client.PostAsync("ticket.messages", payload, key, cancellationToken);
    }

    public Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default) =>
        client.PostAsync("ticket.update", new JsonObject { ["ticketId"] = ticket.ExternalId, ["status"] = update.Status, ["priority"] = update.Priority },
            SignedEventClient.Key("update", ticket.ExternalId, update.Status ?? "", update.Priority ?? "", Guid.NewGuid().ToString()), cancellationToken);

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        var payload = new JsonObject
        {
            ["ticketId"] = ticket.ExternalId,
            ["fileName"] = transcript.FileName,
            ["contentType"] = transcript.ContentType,
            ["contentBase64"] = Convert.ToBase64String(transcript.Content.Span),
        };
        await client.PostAsync("ticket.transcript", payload, SignedEventClient.Key("transcript", ticket.ExternalId, transcript.FileName), cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => HubWebhookSignature.Verify(request, Secret("signingSecret"));

    public Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(WebhookEventParser.Parse(Id, request.Body));
}
