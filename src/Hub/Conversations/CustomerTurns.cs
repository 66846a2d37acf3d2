using System.Threading.Channels;

namespace IntegrationHub.Hub.Conversations;

/// <summary>Customer messages waiting for the hub to act (bot turn, offline notice, carrying it to the ticket).</summary>
/// <remarks>Only a wake-up list: the work itself is derived from stored state, so a lost entry is redone on the next message.</remarks>
public sealed class CustomerTurns
{
    readonly Channel<CustomerTurn> queue = Channel.CreateUnbounded<CustomerTurn>(new() { SingleReader = true });

    public void Enqueue(AppendResult appended)
    {
        // A queued conversation whose ticket owes nothing and whose clocks run has nothing to act on: the busiest case
        // (a customer writing while waiting for an agent) costs no wake-up.
        if (appended.Mode == ConversationMode.Closed || (appended.Mode == ConversationMode.Queued && !appended.TicketSyncDue && !appended.SlaPaused)) return;
        queue.Writer.TryWrite(new CustomerTurn(appended.Message.ConversationId, appended.Mode, appended.TicketSyncDue, appended.SlaPaused));
    }

    /// <summary>A bot-mode conversation whose customer is still waiting for an answer (a turn lost with a stopped node).</summary>
    public void Resume(string conversationId) => queue.Writer.TryWrite(new CustomerTurn(conversationId, ConversationMode.Bot, false, false));

    public ChannelReader<CustomerTurn> Reader => queue.Reader;
}

/// <param name="Mode">The conversation's mode when the message was stored.</param>
/// <param name="TicketSyncDue">The message's commit marked the conversation's tickets as owing it.</param>
/// <param name="SlaPaused">SLA clocks were waiting on the customer.</param>
public sealed record CustomerTurn(string ConversationId, ConversationMode Mode, bool TicketSyncDue, bool SlaPaused);
