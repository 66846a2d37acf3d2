namespace IntegrationHub.Hub.Sla;

/// <summary>
/// A node's hold on the side effects one timer owes, until <paramref name="LeaseUntil"/>: only the holder runs them and
/// marks them done; after the lease any node may take them over (the holder died).
/// </summary>
/// <param name="WarnedBusinessSeconds">For a warning: the business seconds used when it warned (its event tells them).</param>
internal sealed record SlaActionClaim(string ConversationId, string Kind, SlaActionKind Action, DateTimeOffset LeaseUntil, long WarnedBusinessSeconds = 0);
