using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot;

/// <summary>One customer turn for the bot: the conversation so far and the bot's state from the previous turn.</summary>
/// <remarks>Message bodies must already be redacted (<see cref="Redaction.IRedactor"/>); the bot redacts again defensively.</remarks>
public sealed record BotRequest
{
    public required string WorkspaceId { get; init; }
    public required string ConversationId { get; init; }
    /// <summary>Channel type id (<c>webchat</c>, <c>twilio</c>…), copied to the handoff packet.</summary>
    public required string Channel { get; init; }
    /// <summary>Full transcript in sequence order; the last customer message is the one to answer.</summary>
    public required IReadOnlyList<TranscriptMessage> Transcript { get; init; }
    public BotState State { get; init; } = BotState.Initial;
    /// <summary>The contact, when known; its <see cref="ContactInfo.IdentityStatus"/> goes to the packet.</summary>
    public ContactInfo? Contact { get; init; }
    /// <summary>Segments of the contact (e.g. <c>vip</c>), matched against <see cref="BotOptions.VipSegments"/>.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];
    public string? Language { get; init; }
    /// <summary>Link to the conversation in the hub, for the packet.</summary>
    public string? ConversationUrl { get; init; }
}
