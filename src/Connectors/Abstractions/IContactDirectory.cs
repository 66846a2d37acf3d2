namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Finds people in a CRM/helpdesk by email or phone and creates them when missing.</summary>
/// <remarks>
/// <see cref="FindOrCreateContactAsync"/> never creates two records for one person, also when two
/// conversations of the same person race (vendor upsert where available, otherwise a per-instance
/// lock plus a conflict-tolerant create).
/// </remarks>
public interface IContactDirectory
{
    /// <summary>Looks a contact up by its first email, else its first phone. Null when absent.</summary>
    Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default);

    /// <summary>Returns the existing contact or creates it. Needs an email or a phone.</summary>
    Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default);
}
