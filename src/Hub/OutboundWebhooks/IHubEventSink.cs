namespace IntegrationHub.Hub.OutboundWebhooks;

/// <summary>Receives the hub events outbound webhook subscriptions can ask for (<see cref="HubEventNames"/>).</summary>
/// <remarks>Called on the write path after the change is committed; implementations must be cheap when nobody subscribes.</remarks>
public interface IHubEventSink
{
    Task PublishAsync(string eventName, string conversationId, object data, CancellationToken cancellationToken = default);
}
