using System.Threading.Channels;

namespace IntegrationHub.Hub.Conversations;

/// <summary>Conversations with a new customer message waiting for the hub to act (bot turn, offline notice).</summary>
/// <remarks>Only a wake-up list: the work itself is derived from the stored conversation, so a lost entry is redone on the next message.</remarks>
public sealed class CustomerTurns
{
    readonly Channel<string> queue = Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public void Enqueue(string conversationId) => queue.Writer.TryWrite(conversationId);

    public ChannelReader<string> Reader => queue.Reader;
}
