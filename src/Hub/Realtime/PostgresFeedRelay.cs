using System.Text.Json;
using System.Threading.Channels;
using IntegrationHub.Hub.Conversations;
using Npgsql;

namespace IntegrationHub.Hub.Realtime;

/// <summary>
/// Carries live events between hub nodes sharing one PostgreSQL database, with LISTEN/NOTIFY: a
/// widget connected to node B sees a reply that arrived through node A. Message commits are
/// notified inside the writer's own transaction (see MessageWriter), so they arrive only once
/// committed; typing, read receipts and status changes are sent from here.
/// </summary>
/// <remarks>Notifications are hints: a receiver reads messages from the store, so a lost one only delays.</remarks>
internal sealed class PostgresFeedRelay(string connectionString, ConversationFeed feed, ILogger<PostgresFeedRelay> logger) : BackgroundService
{
    public const string MessagesChannel = "hub_messages";
    const string EventsChannel = "hub_events";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly string node = Guid.NewGuid().ToString("N");
    readonly Channel<FeedEvent> outgoing = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.Relay = e =>
        {
            // Messages travel with their commit; everything else is sent from here.
            if (e is not (MessageAppended or MessagesCommitted)) outgoing.Writer.TryWrite(e);
        };
        return Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));
    }

    async Task ListenAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, n) => Receive(n.Channel, n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {MessagesChannel}; LISTEN {EventsChannel};", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                delay = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Cross-node relay lost its connection ({Reason}); reconnecting in {Delay}", e.Message, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { });
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    void Receive(string channel, string payload)
    {
        try
        {
            if (channel == MessagesChannel)
            {
                // [["conversation id", upToSequence], ...]
                foreach (var entry in JsonSerializer.Deserialize<JsonElement[][]>(payload) ?? [])
                    feed.PublishLocal(new MessagesCommitted(entry[0].GetString()!, entry[1].GetInt64()));
                return;
            }
            var wire = JsonSerializer.Deserialize<Wire>(payload, Json);
            if (wire is null || wire.Node == node) return;
            FeedEvent? e = wire.Kind switch
            {
                "typing" => new TypingChanged(wire.Conversation, EnumText.Parse<MessageAuthor>(wire.Author!), wire.Name, wire.Flag),
                "read" => new ReadReceipt(wire.Conversation, wire.Flag, wire.Sequence),
                "status" => new StatusChanged(wire.Conversation, EnumText.Parse<ConversationMode>(wire.Mode!), wire.Notice, wire.Flag),
                _ => null,
            };
            if (e is not null) feed.PublishLocal(e);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            logger.LogWarning("Ignored a malformed {Channel} notification: {Reason}", channel, e.Message);
        }
    }

    async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>();
        await foreach (var first in outgoing.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            batch.Add(Serialize(first));
            while (batch.Count < 50 && outgoing.Reader.TryRead(out var more)) batch.Add(Serialize(more));
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = new NpgsqlCommand(string.Join(";", batch.Select((_, i) => $"SELECT pg_notify('{EventsChannel}', @p{i})")), connection);
                for (var i = 0; i < batch.Count; i++) command.Parameters.AddWithValue($"p{i}", batch[i]);
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                // Ephemeral events (typing, receipts) are not worth a retry; the state is in the store.
                logger.LogWarning("Cross-node relay dropped {Count} event(s): {Reason}", batch.Count, e.Message);
            }
            batch.Clear();
        }
    }

    string Serialize(FeedEvent e) => JsonSerializer.Serialize(e switch
    {
        TypingChanged t => new Wire(node, "typing", t.ConversationId, Author: t.Author.ToText(), Name: t.Name, Flag: t.Typing),
        ReadReceipt r => new Wire(node, "read", r.ConversationId, Flag: r.ByCustomer, Sequence: r.Sequence),
        StatusChanged s => new Wire(node, "status", s.ConversationId, Mode: s.Mode.ToText(), Notice: s.Notice, Flag: s.CaptureContact),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    }, Json);

    sealed record Wire(string Node, string Kind, string Conversation, string? Author = null, string? Name = null, bool Flag = false,
        long Sequence = 0, string? Mode = null, string? Notice = null);
}
