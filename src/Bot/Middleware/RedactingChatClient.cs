using IntegrationHub.Bot.Redaction;
using Microsoft.Extensions.AI;

namespace IntegrationHub.Bot.Middleware;

/// <summary>Redacts every outgoing message, so card numbers never reach a model provider even if a caller forgot.</summary>
internal sealed class RedactingChatClient(IChatClient inner, IRedactor redactor) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(Redact(messages), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(Redact(messages), options, cancellationToken);

    List<ChatMessage> Redact(IEnumerable<ChatMessage> messages) =>
        messages.Select(m => new ChatMessage(m.Role, redactor.Redact(m.Text)) { AuthorName = m.AuthorName }).ToList();
}
