using Microsoft.Extensions.AI;

namespace IntegrationHub.Bot.Middleware;

/// <summary>Cancels a model call that runs past its budget, with <see cref="TimeoutException"/>, so the bot can fall back in time.</summary>
/// <remarks>Uses <see cref="TimeProvider"/> so tests can drive it with a fake clock.</remarks>
internal sealed class TimeoutChatClient(IChatClient inner, TimeSpan timeout, TimeProvider time) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var budget = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the model did not answer within {timeout.TotalSeconds:0.#} s");
        }
    }
}
