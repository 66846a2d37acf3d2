namespace IntegrationHub.Bot.Knowledge;

/// <summary>The kinds of <see cref="KnowledgeSource"/>.</summary>
public static class KnowledgeSourceKinds
{
    /// <summary>A folder of Markdown (<c>.md</c>) and HTML (<c>.html</c>) pages.</summary>
    public const string Folder = "folder";
    /// <summary>Hand-written question/answer entries.</summary>
    public const string Faq = "faq";
    /// <summary>A connector with the <c>knowledge-source</c> capability (help-centre articles).</summary>
    public const string Connector = "connector";
}
