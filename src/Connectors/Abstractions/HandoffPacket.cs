namespace IntegrationHub.Connectors.Abstractions;

/// <summary>
/// Everything an agent needs to pick a conversation up without asking the customer again.
/// Every ticketing connector receives it when the bot hands off. Bodies are already redacted.
/// </summary>
public sealed record HandoffPacket
{
    public required string ConversationId { get; init; }
    /// <summary>Link to the conversation in the hub, for the ticket's "conversation link" field.</summary>
    public string? ConversationUrl { get; init; }
    public required string Channel { get; init; }
    public required ContactInfo Contact { get; init; }
    public required IReadOnlyList<TranscriptMessage> Transcript { get; init; }
    public string? Intent { get; init; }
    public double? Confidence { get; init; }
    /// <summary>positive | neutral | negative | frustrated</summary>
    public string? Sentiment { get; init; }
    /// <summary>low | normal | high | urgent</summary>
    public string Priority { get; init; } = "normal";
    public string? Queue { get; init; }
    public string? Language { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyDictionary<string, string> CollectedFields { get; init; } = new Dictionary<string, string>();
    /// <summary>What the bot already tried (answers given, clarifications asked).</summary>
    public IReadOnlyList<string> BotAttempts { get; init; } = [];
    public IReadOnlyList<Citation> CitedArticles { get; init; } = [];
    public string? Summary { get; init; }
}

/// <summary>A knowledge passage the bot used: title and link.</summary>
public sealed record Citation(string Title, string? Url, string? SourceId = null);
