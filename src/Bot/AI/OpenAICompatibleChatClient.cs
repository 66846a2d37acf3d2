using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace IntegrationHub.Bot.AI;

/// <summary>
/// <see cref="IChatClient"/> over an OpenAI-compatible <c>POST {endpoint}/chat/completions</c>.
/// </summary>
/// <remarks>
/// Written over HttpClient because Microsoft.Extensions.AI.OpenAI is not served by the package feed
/// here; it follows the same REST shapes. Streaming returns the whole completion as one update.
/// Thread-safe. Errors surface as <see cref="HttpRequestException"/> with the status code only.
/// </remarks>
internal sealed class OpenAICompatibleChatClient(HttpClient http, OpenAICompatibleOptions options) : IChatClient
{
    readonly ChatClientMetadata _metadata = new("openai-compatible", http.BaseAddress, options.Model);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var request = new ChatCompletionRequest(
            chatOptions?.ModelId ?? options.Model,
            messages.Select(m => new WireMessage(m.Role.Value, m.Text)).ToList(),
            chatOptions?.Temperature ?? (float?)options.Temperature,
            chatOptions?.MaxOutputTokens ?? options.MaxOutputTokens,
            chatOptions?.ResponseFormat is ChatResponseFormatJson ? new ResponseFormat("json_object") : null);
        using var response = await http.PostAsJsonAsync("chat/completions", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"chat completion failed with HTTP {(int)response.StatusCode}", null, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<ChatCompletionResponse>(cancellationToken)
            ?? throw new InvalidDataException("chat completion returned an empty body");
        var choice = body.Choices?.OrderBy(c => c.Index).FirstOrDefault()
            ?? throw new InvalidDataException("chat completion returned no choices");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, choice.Message?.Content ?? ""))
        {
            ResponseId = body.Id,
            ModelId = body.Model,
            FinishReason = choice.FinishReason switch
            {
                "stop" => ChatFinishReason.Stop,
                "length" => ChatFinishReason.Length,
                "content_filter" => ChatFinishReason.ContentFilter,
                "tool_calls" => ChatFinishReason.ToolCalls,
                _ => null,
            },
            Usage = body.Usage is null ? null : new UsageDetails
            {
                InputTokenCount = body.Usage.PromptTokens,
                OutputTokenCount = body.Usage.CompletionTokens,
                TotalTokenCount = body.Usage.TotalTokens,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, chatOptions, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() { } // HttpClient is owned by IHttpClientFactory
}
