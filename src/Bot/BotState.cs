using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot;

/// <summary>
/// The bot's memory of one conversation. The hub stores it as JSON with the conversation and passes
/// it back on the next turn; the bot keeps nothing between calls, so any node can take the next message.
/// </summary>
/// <remarks>Small by design: attempts are capped, and transcript text is never copied here.</remarks>
public sealed record BotState
{
    public static readonly BotState Initial = new();

    /// <summary>Consecutive turns the bot could not answer.</summary>
    public int MissesInARow { get; init; }
    /// <summary>0 = none, 1 = clarified, 2 = options offered; a further miss hands off.</summary>
    public int FallbackStage { get; init; }
    public IReadOnlyDictionary<string, string> CollectedFields { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<BotOption> LastOfferedOptions { get; init; } = [];
    /// <summary>Intent whose fields are being collected.</summary>
    public string? PendingIntent { get; init; }
    public double? PendingConfidence { get; init; }
    /// <summary>The field the last reply asked for.</summary>
    public string? PendingField { get; init; }
    /// <summary>Set during after-hours intake: the handoff reason waiting for the intake to finish.</summary>
    public string? PendingHandoffReason { get; init; }
    public string? LastIntent { get; init; }
    public double? LastConfidence { get; init; }
    /// <summary>What the bot tried, in order ("answered from 'Returns'", "asked to clarify").</summary>
    public IReadOnlyList<string> Attempts { get; init; } = [];
    /// <summary>Articles the bot cited so far.</summary>
    public IReadOnlyList<Citation> Citations { get; init; } = [];
}
