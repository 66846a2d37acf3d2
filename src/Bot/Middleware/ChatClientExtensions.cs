using IntegrationHub.Bot.Redaction;
using Microsoft.Extensions.AI;

namespace IntegrationHub.Bot.Middleware;

/// <summary>The bot's <see cref="DelegatingChatClient"/> stages, composed around any <see cref="IChatClient"/>.</summary>
public static class ChatClientExtensions
{
    /// <summary>Fails a call with <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static IChatClient UseTimeout(this IChatClient client, TimeSpan timeout, TimeProvider? time = null) =>
        new TimeoutChatClient(client, timeout, time ?? TimeProvider.System);

    /// <summary>Redacts sensitive data from every message before it leaves the process.</summary>
    public static IChatClient UseRedaction(this IChatClient client, IRedactor redactor) =>
        new RedactingChatClient(client, redactor);
}
