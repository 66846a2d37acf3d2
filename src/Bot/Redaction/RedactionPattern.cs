namespace IntegrationHub.Bot.Redaction;

/// <summary>A configured pattern to mask, e.g. national id numbers or IBANs.</summary>
/// <param name="Name">Shown in the mask: <c>[redacted iban]</c>.</param>
/// <param name="Pattern">.NET regular expression; matched case-insensitively with a 100 ms timeout.</param>
public sealed record RedactionPattern(string Name, string Pattern);
