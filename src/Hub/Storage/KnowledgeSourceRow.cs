using IntegrationHub.Bot.Knowledge;

namespace IntegrationHub.Hub.Storage;

/// <summary>A row of <c>knowledge_sources</c>; <c>enabled</c> is 0/1 so both backends read it the same way.</summary>
internal sealed class KnowledgeSourceRow
{
    public string WorkspaceId { get; set; } = "";
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Location { get; set; }
    public string? BaseUrl { get; set; }
    public string? Title { get; set; }
    public long Enabled { get; set; } = 1;

    public KnowledgeSource ToSource() => new(WorkspaceId, Id, Kind, Location, BaseUrl, Title, Enabled != 0);
}
