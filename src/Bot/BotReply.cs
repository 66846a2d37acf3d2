using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot;

/// <summary>What the bot says and does for one customer turn, and its state for the next one.</summary>
public sealed record BotReply
{
    /// <summary>The message for the customer (plain text; citations are also listed separately).</summary>
    public required string Text { get; init; }
    public required BotAction Action { get; init; }
    public IReadOnlyList<Citation> Citations { get; init; } = [];
    public IReadOnlyList<BotOption> Options { get; init; } = [];
    public string? Intent { get; init; }
    public double Confidence { get; init; }
    /// <summary>positive | neutral | negative | frustrated</summary>
    public string Sentiment { get; init; } = IntegrationHub.Bot.Handoff.Sentiment.Neutral;
    /// <summary>Set when <see cref="Action"/> is handoff (or intake before one): see <see cref="Handoff.HandoffReasons"/>.</summary>
    public string? HandoffReason { get; init; }
    /// <summary>The packet for the ticketing connectors, when <see cref="Action"/> is handoff.</summary>
    public HandoffPacket? Handoff { get; init; }
    /// <summary>Persist this and pass it back with the next customer message.</summary>
    public required BotState State { get; init; }
    /// <summary><c>builtin</c> or <c>model</c>: which engine produced the text.</summary>
    public string Engine { get; init; } = "builtin";
    /// <summary>Why the bot decided this, for the designers' preview and logs (no message text).</summary>
    public IReadOnlyList<string> Trace { get; init; } = [];
}
