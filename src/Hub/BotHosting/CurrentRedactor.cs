using IntegrationHub.Bot.Redaction;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>The redactor of whichever bot is current, so a changed <c>redactionPatterns</c> applies to the next message.</summary>
internal sealed class CurrentRedactor(HubBot bot) : IRedactor
{
    public string Redact(string text) => bot.Redactor.Redact(text);
}
