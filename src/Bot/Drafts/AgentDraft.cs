using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Drafts;

/// <summary>A suggested reply for an agent, with the sources it rests on. Never sent to the customer by the bot.</summary>
/// <param name="Grounded">True when the draft's content comes from cited knowledge; false for a holding reply with no source.</param>
/// <param name="Engine"><c>builtin</c> or <c>model</c>.</param>
/// <param name="Note">A line for the agent (not the customer), e.g. why no source was found.</param>
public sealed record AgentDraft(string Text, IReadOnlyList<Citation> Citations, bool Grounded, string Engine, string? Note = null);
