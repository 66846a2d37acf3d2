namespace IntegrationHub.Hub.Apis;

/// <summary>Body of <c>POST /api/admin/webhook-subscriptions</c>.</summary>
public sealed record CreateSubscriptionRequest(string? Url, List<string>? Events);
