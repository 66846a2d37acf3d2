namespace IntegrationHub.Bot.Intents;

/// <summary>An intent as bot designers define it; stored by the hub per workspace.</summary>
/// <param name="Name">Stable key, e.g. <c>order_status</c>.</param>
/// <param name="DisplayName">Shown to customers when the bot offers options ("Track my order").</param>
/// <param name="Examples">Example utterances the classifier learns from (a handful to a few hundred).</param>
/// <param name="Routing">bot | hybrid | human.</param>
/// <param name="Fields">Details to collect before acting.</param>
/// <param name="Answer">
/// Optional fixed answer. Collected fields can be referenced as <c>{order_number}</c>. Without it the
/// bot answers from knowledge.
/// </param>
public sealed record IntentDefinition(
    string Name,
    string DisplayName,
    IReadOnlyList<string> Examples,
    IntentRouting Routing = IntentRouting.Bot,
    IReadOnlyList<IntentField>? Fields = null,
    string? Answer = null)
{
    public IReadOnlyList<IntentField> FieldsOrEmpty => Fields ?? [];
}
