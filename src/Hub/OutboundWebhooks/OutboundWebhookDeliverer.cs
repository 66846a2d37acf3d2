using System.Text;
using IntegrationHub.Connectors.Support;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.OutboundWebhooks;

/// <summary>
/// Delivers queued outbound webhooks: POST of the JSON payload signed with the subscription's secret
/// (<c>X-Hub-Timestamp</c>, <c>X-Hub-Signature-256: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>),
/// plus <c>X-Hub-Event</c> and <c>X-Hub-Delivery</c>. Every attempt is logged on the delivery row with the
/// response status and the start of its body; failures back off exponentially, and a subscription that
/// keeps failing is disabled with a visible reason.
/// </summary>
internal sealed class OutboundWebhookDeliverer(
    SqlWebhookSubscriptionStore store, TimeProvider time, IOptions<OutboundWebhookOptions> options,
    [FromKeyedServices(OutboundWebhookPublisher.Signal)] HelpdeskSignal signal, ILogger<OutboundWebhookDeliverer> logger) : BackgroundService
{
    const int ResponseChars = 500;
    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var count = 0;
            try
            {
                var due = await store.ClaimDueAsync(TimeSpan.FromSeconds(options.Value.TimeoutSeconds * 3), 50, stoppingToken);
                count = due.Count;
                await Task.WhenAll(due.Select(d => DeliverAsync(d.Delivery, d.Subscription, stoppingToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Outbound webhook pass failed; retrying at the next poll");
            }
            if (count == 0) await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
        }
    }

    async Task DeliverAsync(WebhookDeliveryRow delivery, WebhookSubscriptionRow subscription, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (var (name, value) in HubWebhookSignature.Headers(subscription.Secret, body, time.GetUtcNow())) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("X-Hub-Event", delivery.Event);
        request.Headers.TryAddWithoutValidation("X-Hub-Delivery", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int? status = null;
        string? response = null;
        string error;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
            using var answer = await http.SendAsync(request, timeout.Token);
            status = (int)answer.StatusCode;
            response = Truncate(await answer.Content.ReadAsStringAsync(timeout.Token));
            if (answer.IsSuccessStatusCode)
            {
                await store.DeliveredAsync(delivery, status.Value, response, CancellationToken.None);
                return;
            }
            error = $"HTTP {status}";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = e is OperationCanceledException ? $"no answer within {o.TimeoutSeconds:0.#} s" : e.Message;
        }
        var delay = TimeSpan.FromSeconds(Math.Min(o.RetryMaxSeconds, o.RetryBaseSeconds * Math.Pow(2, Math.Min(delivery.Attempts, 20))));
        logger.LogWarning("Outbound webhook {DeliveryId} ({Event}) to subscription {SubscriptionId} failed: {Error}; retry in {Delay}",
            delivery.Id, delivery.Event, subscription.Id, error, delay);
        await store.FailedAsync(delivery, status, response, error, delay, o.DisableAfterFailures, CancellationToken.None);
    }

    static string Truncate(string text) => text.Length <= ResponseChars ? text : text[..ResponseChars];

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}
