using IntegrationHub.Bot.Drafts;

namespace IntegrationHub.Bot;

/// <summary>
/// The bot: decides, for each customer message in bot mode, whether to answer (grounded, with
/// citations), clarify, offer options, take intake details or hand off; and drafts replies for agents.
/// </summary>
/// <remarks>
/// Stateless between calls (state travels in <see cref="BotRequest.State"/>) and thread-safe.
/// With a chat model configured it uses it, and falls back to the built-in engine on timeout or
/// failure, never to silence. Never logs message text.
/// </remarks>
public interface IBotEngine
{
    Task<BotReply> ReplyAsync(BotRequest request, CancellationToken cancellationToken = default);

    Task<AgentDraft> DraftAsync(DraftRequest request, CancellationToken cancellationToken = default);
}
