using System.Text.Json.Nodes;

namespace IntegrationHub.FakeServers;

/// <summary>A ticket as a fake keeps it (vendor values); <see cref="StatefulFake"/> maps it to <see cref="FakeTicket"/>.</summary>
public sealed class StoredTicket
{
    public required string Id { get; init; }
    public string? ConversationId { get; set; }
    public string Subject { get; set; } = "";
    public string Description { get; set; } = "";
    public string Status { get; set; } = "";
    public string Priority { get; set; } = "";
    public string? RequesterId { get; set; }
    public string? Queue { get; set; }
    public List<FakeComment> Comments { get; } = [];
    public List<string> Attachments { get; } = [];
    public JsonObject Fields { get; set; } = [];
    public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;
}
