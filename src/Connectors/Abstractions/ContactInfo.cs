namespace IntegrationHub.Connectors.Abstractions;

/// <summary>The person behind a conversation, as far as the hub knows them.</summary>
/// <param name="IdentityStatus">anonymous | identified (self-reported) | verified (HMAC user hash or channel-proven)</param>
public sealed record ContactInfo(
    string Id,
    string? Name,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> Phones,
    string IdentityStatus,
    IReadOnlyDictionary<string, string>? ExternalIds = null)
{
    public string? Email => Emails.Count > 0 ? Emails[0] : null;
    public string? Phone => Phones.Count > 0 ? Phones[0] : null;
}
