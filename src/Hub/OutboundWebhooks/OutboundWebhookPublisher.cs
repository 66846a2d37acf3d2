using System.Text.Json;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Storage;

namespace IntegrationHub.Hub.OutboundWebhooks;

/// <summary>
/// Turns hub events into delivery rows for the subscriptions that asked for them. The subscription list is
/// cached for a few seconds so the message hot path pays nothing when nobody subscribes.
/// </summary>
internal sealed class OutboundWebhookPublisher(
    SqlWebhookSubscriptionStore store, TimeProvider time, [FromKeyedServices(OutboundWebhookPublisher.Signal)] HelpdeskSignal signal) : IHubEventSink
{
    public const string Signal = "outbound";
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    (DateTimeOffset Until, IReadOnlyList<(string Id, HashSet<string> Events)> Subscriptions) cache = (DateTimeOffset.MinValue, []);

    /// <summary>Called by the admin API after a change, so this node sees it at once (others within the cache time).</summary>
    public void Invalidate() => cache = (DateTimeOffset.MinValue, []);

    public async Task PublishAsync(string eventName, string conversationId, object data, CancellationToken cancellationToken = default)
    {
        var subscriptions = await SubscriptionsAsync(cancellationToken);
        var matching = subscriptions.Where(s => s.Events.Contains(eventName)).ToList();
        if (matching.Count == 0) return;
        var payload = JsonSerializer.Serialize(new { @event = eventName, conversationId, occurredAt = time.GetUtcNow(), data }, Json);
        await store.EnqueueAsync(matching.Select(s => (s.Id, eventName, payload)), cancellationToken);
        signal.Wake();
    }

    async Task<IReadOnlyList<(string Id, HashSet<string> Events)>> SubscriptionsAsync(CancellationToken cancellationToken)
    {
        var current = cache;
        if (current.Until > time.GetUtcNow()) return current.Subscriptions;
        var rows = await store.ListAsync(cancellationToken);
        var list = rows.Where(r => r.Enabled == 1)
            .Select(r => (r.Id, new HashSet<string>(JsonSerializer.Deserialize<List<string>>(r.Events) ?? [], StringComparer.Ordinal))).ToList();
        cache = (time.GetUtcNow() + CacheFor, list);
        return list;
    }
}
