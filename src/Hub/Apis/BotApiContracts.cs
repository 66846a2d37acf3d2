namespace IntegrationHub.Hub.Apis;

// Request bodies of the bot API (JSON, camelCase). Loose types on purpose: BotApi checks them and says what is wrong.

/// <param name="Routing">bot | hybrid | human (default bot).</param>
public sealed record IntentRequest(string? DisplayName, IReadOnlyList<string?>? Examples, string? Routing = null, IReadOnlyList<IntentFieldRequest?>? Fields = null, string? Answer = null);

/// <param name="Pattern">Optional regular expression the customer's answer must contain.</param>
public sealed record IntentFieldRequest(string? Name, string? Prompt, string? Pattern = null);

public sealed record FaqRequest(string? Question, string? Answer, string? Url = null);

public sealed record PreviewRequest(string? Text);

/// <param name="Instructions">Optional hint from the agent ("offer a refund").</param>
public sealed record DraftRequestBody(string? Instructions = null);
