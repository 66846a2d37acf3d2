namespace IntegrationHub.Hub.Conversations;

/// <summary>A person the hub talks to, with the ids other systems know them by.</summary>
/// <param name="ExternalIds">connector instance id → that system's contact id.</param>
public sealed record Contact(
    string Id,
    string WorkspaceId,
    string? Name,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> Phones,
    IdentityStatus IdentityStatus,
    IReadOnlyDictionary<string, string> ExternalIds,
    DateTimeOffset CreatedAt)
{
    /// <summary>Segments such as <c>vip</c>: set from a verified identity or by an admin.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];
}

/// <summary>What a channel learned about a contact; null fields leave stored values alone.</summary>
/// <param name="Segments">When given, replaces the contact's segments.</param>
public sealed record ContactDetails(string? Name = null, string? Email = null, string? Phone = null, IdentityStatus? IdentityStatus = null,
    IReadOnlyList<string>? Segments = null);

/// <summary>A key that identifies a contact on one channel, e.g. ("visitor:web", visitor id) or ("email", address).</summary>
public sealed record ContactKey(string Kind, string Value);
