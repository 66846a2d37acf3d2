namespace IntegrationHub.Bot.Knowledge;

/// <summary>A document section between two headings, as plain text, before it becomes chunks.</summary>
internal sealed record Section(string Heading, string? Anchor, string Text);
