namespace IntegrationHub.Hub.Retention;

/// <summary>What one retention run removed (also stored in <c>retention_runs</c>).</summary>
/// <param name="Channels">Channel → conversations removed or anonymised.</param>
public sealed record RetentionReport(string Mode, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long Conversations, long Messages, long Attachments,
    IReadOnlyDictionary<string, long> Channels);
