using System.Collections.Immutable;
using System.Threading.Channels;

namespace IntegrationHub.Hub.Realtime;

/// <summary>
/// In-process fan-out of <see cref="FeedEvent"/>s to the connections watching a conversation.
/// </summary>
/// <remarks>
/// Thread-safe. A slow subscriber loses its oldest events rather than slowing publishers; that is
/// safe because message events are only hints: the reader fills gaps from the store.
/// </remarks>
public sealed class ConversationFeed
{
    const int Buffer = 256;
    readonly Lock gate = new();
    // Copy-on-write: publishing (hot) reads without a lock; subscribing (rare) swaps the dictionary.
    ImmutableDictionary<string, ImmutableArray<Channel<FeedEvent>>> watchers = ImmutableDictionary.Create<string, ImmutableArray<Channel<FeedEvent>>>(StringComparer.Ordinal);

    /// <summary>Set by the cross-node relay (PostgreSQL): sees every event published on this node.</summary>
    public Action<FeedEvent>? Relay { get; set; }

    /// <summary>Delivers to this node's watchers and, through <see cref="Relay"/>, to the other nodes'.</summary>
    public void Publish(FeedEvent feedEvent)
    {
        PublishLocal(feedEvent);
        Relay?.Invoke(feedEvent);
    }

    /// <summary>Delivers to this node's watchers only (events that came from another node).</summary>
    public void PublishLocal(FeedEvent feedEvent)
    {
        if (!Volatile.Read(ref watchers).TryGetValue(feedEvent.ConversationId, out var channels)) return;
        foreach (var channel in channels) channel.Writer.TryWrite(feedEvent);
    }

    /// <summary>Starts watching; dispose the subscription to stop.</summary>
    public Subscription Subscribe(string conversationId)
    {
        var channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate)
        {
            var current = watchers.GetValueOrDefault(conversationId, []);
            watchers = watchers.SetItem(conversationId, current.Add(channel));
        }
        return new Subscription(channel.Reader, () =>
        {
            lock (gate)
            {
                var remaining = watchers.GetValueOrDefault(conversationId, []).Remove(channel);
                watchers = remaining.IsEmpty ? watchers.Remove(conversationId) : watchers.SetItem(conversationId, remaining);
            }
        });
    }

    public int WatcherCount(string conversationId) => watchers.GetValueOrDefault(conversationId, []).Length;

    public sealed class Subscription(ChannelReader<FeedEvent> reader, Action unsubscribe) : IDisposable
    {
        int disposed;

        public ChannelReader<FeedEvent> Events { get; } = reader;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) unsubscribe();
        }
    }
}
