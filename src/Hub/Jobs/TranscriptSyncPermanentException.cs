namespace IntegrationHub.Hub.Jobs;

/// <summary>A sync that no retry can fix without an admin (e.g. no way to name the requester): straight to the dead letters.</summary>
internal sealed class TranscriptSyncPermanentException(string message) : Exception(message);
