namespace IntegrationHub.Bot.Redaction;

/// <summary>
/// Masks sensitive data (Luhn-valid payment card numbers and configured patterns) in text.
/// The hub applies it to every message before it is stored, indexed, summarised or synced,
/// so the original never reaches the database, a ticket or a model.
/// </summary>
/// <remarks>Thread-safe and idempotent: redacting redacted text changes nothing.</remarks>
public interface IRedactor
{
    string Redact(string text);
}
