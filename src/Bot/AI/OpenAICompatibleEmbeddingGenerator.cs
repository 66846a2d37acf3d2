using System.Net.Http.Json;
using Microsoft.Extensions.AI;

namespace IntegrationHub.Bot.AI;

/// <summary><see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over an OpenAI-compatible <c>POST {endpoint}/embeddings</c>.</summary>
/// <remarks>Thread-safe; vectors are returned in input order whatever order the server lists them in.</remarks>
internal sealed class OpenAICompatibleEmbeddingGenerator(HttpClient http, OpenAICompatibleOptions options) : IEmbeddingGenerator<string, Embedding<float>>
{
    const int BatchSize = 64;
    readonly EmbeddingGeneratorMetadata _metadata = new("openai-compatible", http.BaseAddress, options.EmbeddingModel);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default)
    {
        var model = generationOptions?.ModelId ?? options.EmbeddingModel
            ?? throw new InvalidOperationException("no embedding model configured");
        var inputs = values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        foreach (var batch in inputs.Chunk(BatchSize))
        {
            using var response = await http.PostAsJsonAsync("embeddings", new EmbeddingRequest(model, batch), cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"embedding request failed with HTTP {(int)response.StatusCode}", null, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<EmbeddingResponse>(cancellationToken);
            var data = body?.Data ?? throw new InvalidDataException("embedding response has no data");
            if (data.Count != batch.Length) throw new InvalidDataException($"asked for {batch.Length} embeddings, got {data.Count}");
            foreach (var item in data.OrderBy(d => d.Index)) result.Add(new Embedding<float>(item.Embedding) { ModelId = body.Model ?? model });
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() { }
}
