using System.Text.Json.Nodes;

namespace IntegrationHub.FakeServers;

public sealed class StoredContact
{
    public required string Id { get; init; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Name { get; set; }
    public JsonObject Fields { get; set; } = [];
}
