namespace IntegrationHub.Bot.AI;

/// <summary>
/// Settings of an <c>openai-compatible</c> connector: any server speaking OpenAI's
/// <c>/chat/completions</c> and <c>/embeddings</c> (OpenAI, Azure OpenAI v1, Ollama, vLLM, llama.cpp server).
/// </summary>
public sealed class OpenAICompatibleOptions
{
    /// <summary>Base URL including the version segment, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>.</summary>
    public string Endpoint { get; set; } = "";
    /// <summary>Chat model (deployment name on Azure).</summary>
    public string Model { get; set; } = "";
    /// <summary>Embedding model; leave empty to use keyword retrieval only.</summary>
    public string? EmbeddingModel { get; set; }
    /// <summary>Secret reference (<c>env:NAME</c> or a file path), resolved on each call; empty for servers without auth.</summary>
    public string? ApiKey { get; set; }
    /// <summary><c>authorization</c> (Bearer, default) or <c>api-key</c> (Azure OpenAI keys).</summary>
    public string ApiKeyHeader { get; set; } = "authorization";
    public double TimeoutSeconds { get; set; } = 15;
    public double? Temperature { get; set; } = 0;
    public int? MaxOutputTokens { get; set; } = 600;
}
