namespace IntegrationHub.Hub.Helpdesk;

/// <summary>The helpdesk needs a requester with an email or phone, and the customer has not given one yet.</summary>
internal sealed class MissingContactException() : Exception("the customer has not left an email address or phone number yet, which the helpdesk needs for the requester");
