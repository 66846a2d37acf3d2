namespace IntegrationHub.Bot.Intents;

/// <summary>A detail the bot asks for when an intent needs it (order number, email).</summary>
/// <param name="Name">Key in the collected fields; <c>email</c>, <c>phone</c> and <c>order_number</c> get built-in patterns.</param>
/// <param name="Prompt">The question the bot asks.</param>
/// <param name="Pattern">Optional regular expression the answer must contain; the match is what is kept.</param>
public sealed record IntentField(string Name, string Prompt, string? Pattern = null);
