namespace IntegrationHub.Bot.Knowledge;

/// <summary>A configured place knowledge comes from, owned by a workspace.</summary>
/// <param name="Kind"><see cref="KnowledgeSourceKinds"/>: folder | faq | connector.</param>
/// <param name="Location">Folder path for <c>folder</c>; connector instance id for <c>connector</c>; unused for <c>faq</c>.</param>
/// <param name="BaseUrl">Public URL the folder is published under, so citations link to the page (optional).</param>
public sealed record KnowledgeSource(
    string WorkspaceId,
    string Id,
    string Kind,
    string? Location = null,
    string? BaseUrl = null,
    string? Title = null,
    bool Enabled = true);
