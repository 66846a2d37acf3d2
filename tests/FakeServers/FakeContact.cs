namespace IntegrationHub.FakeServers;

public sealed record FakeContact(string Id, string? Email, string? Phone, string? Name);
