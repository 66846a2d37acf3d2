namespace IntegrationHub.Connectors.Http;

/// <summary>What a vendor response says about throttling.</summary>
/// <param name="Rejected">The request was refused for rate reasons (429 or the vendor's equivalent) and was not processed.</param>
/// <param name="Wait">How long every request of this instance should pause, when the vendor says.</param>
internal sealed record ThrottleSignal(bool Rejected, TimeSpan? Wait);
