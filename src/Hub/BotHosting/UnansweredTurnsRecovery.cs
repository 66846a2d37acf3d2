using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Conversations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// Once per start: a customer message is acknowledged when stored, and the bot's turn follows from memory
/// (<see cref="CustomerTurns"/>). A node that stopped in between left the customer waiting; this finds those
/// conversations, written before this start, and queues their turn again. A turn that was answered meanwhile ends at once.
/// </summary>
internal sealed class UnansweredTurnsRecovery(
    IConversationStore store, CustomerTurns turns, IOptions<HubOptions> options, TimeProvider time, ILogger<UnansweredTurnsRecovery> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.UnansweredTurns;
        var started = time.GetUtcNow();
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, settings.DelaySeconds)), time, stoppingToken);
        try
        {
            // Up to this start only: later messages were received by running nodes, which answer them.
            var waiting = await store.ListAwaitingBotAsync(started.AddMinutes(-settings.LookBackMinutes), started, settings.Limit, stoppingToken);
            foreach (var id in waiting) turns.Resume(id);
            if (waiting.Count > 0) logger.LogInformation("Answering {Count} customer messages left unanswered by a stopped node", waiting.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not look for unanswered customer messages; they are answered when the customer writes again");
        }
    }
}
