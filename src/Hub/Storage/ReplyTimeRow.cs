namespace IntegrationHub.Hub.Storage;

/// <summary>When a queued conversation was handed off and when a human first replied.</summary>
internal sealed class ReplyTimeRow
{
    public DateTimeOffset HandedOffAt { get; set; }
    public DateTimeOffset RepliedAt { get; set; }
}
