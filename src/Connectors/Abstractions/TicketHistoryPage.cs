namespace IntegrationHub.Connectors.Abstractions;

/// <summary>One batch of a ticket's history.</summary>
/// <param name="Events">Events the hub acts on, oldest first (activity it ignores is skipped, not returned).</param>
/// <param name="Cursor">Where the next read starts: past everything read, including skipped activity. Unchanged when nothing was new.</param>
/// <param name="More">True when the batch was cut short and more history is waiting: read again at once.</param>
public sealed record TicketHistoryPage(IReadOnlyList<WebhookEvent> Events, string? Cursor, bool More);
