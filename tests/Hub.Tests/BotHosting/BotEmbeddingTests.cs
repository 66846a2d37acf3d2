using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Tests.Fakes;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>
/// The hub with an <c>openai-compatible</c> connector pointing at the fake OpenAI server (real HTTP on 127.0.0.1):
/// chunk vectors go through the SQL store and back, questions are embedded and fused with keyword retrieval, and
/// when the server fails the bot still answers from the built-in engine.
/// </summary>
public sealed class BotEmbeddingTests : IAsyncLifetime
{
    const string KeyVariable = "HUB_TEST_BOT_EMBEDDING_KEY";
    FakeOpenAIServer server = null!;

    public async Task InitializeAsync()
    {
        server = await FakeOpenAIServer.StartAsync();
        server.Reply = _ => null; // the chat model is down throughout: answers must come from the built-in engine
        Environment.SetEnvironmentVariable(KeyVariable, "sk-from-env");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    string Connectors => HubFactory.BotConnectors.Replace("{ \"id\": \"bot\",",
        $$"""{ "id": "model", "type": "openai-compatible", "settings": { "endpoint": "{{server.Endpoint}}", "model": "chat-model", "embeddingModel": "embed-model", "apiKey": "env:{{KeyVariable}}", "timeoutSeconds": 5 } },{ "id": "bot",""");

    static async Task<JsonElement> PreviewAsync(HttpClient admin, string text)
    {
        var response = await admin.PostAsJsonAsync("/api/admin/bot/preview", new { text });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Preview_EmbeddingModelConfigured_VectorsStoredAndFusedAndFailuresFallBackToKeywords(string backend)
    {
        await using var hub = await HubFactory.CreateAsync(backend, Connectors);
        var admin = hub.CreateClient();
        var workspace = hub.Get<ConnectorsConfigurationMonitor>().Current.Workspace;
        var chunks = await Eventually.ValueAsync(async () =>
            await hub.Get<IKnowledgeChunkStore>().ListAsync(workspace) is { Count: > 0 } c && c.All(x => x.Embedding is not null) ? c : null, what: "the sample knowledge with vectors");

        // Every stored vector is the one the server returned for a text it was sent: float32 survives the round trip through SQL.
        var sent = server.Requests.Where(r => r.Path == "/v1/embeddings").SelectMany(r => r.Body["input"]!.AsArray().Select(n => n!.GetValue<string>())).ToList();
        Assert.All(chunks, c => Assert.Contains(sent, text => FakeOpenAIServer.Embed(text).SequenceEqual(c.Embedding!)));
        Assert.Contains(chunks, c => c.Embedding!.Any(v => v != 0));

        var fused = await PreviewAsync(admin, "exchanging sizes");
        Assert.Contains(server.Requests, r => r.Path == "/v1/embeddings" && r.Body["input"]![0]!.GetValue<string>() == "exchanging sizes");
        Assert.Contains(server.Requests, r => r.Path == "/v1/chat/completions");
        // The key is a secret reference in connectors.json, resolved when the request is made.
        Assert.All(server.Requests, r => Assert.Equal("Bearer sk-from-env", r.Authorization));

        server.FailWithStatus = 500; // embeddings fail too: keyword retrieval only
        var keywordsOnly = await PreviewAsync(admin, "exchanging sizes");

        // The vector ranking adds passages the keywords alone do not reach; the cited answer is the same either way.
        Assert.Equal("Exchanges", fused.GetProperty("passages")[0].GetProperty("heading").GetString());
        Assert.True(fused.GetProperty("passages").GetArrayLength() > keywordsOnly.GetProperty("passages").GetArrayLength(),
            $"fused {fused.GetProperty("passages").GetArrayLength()} passages, keyword-only {keywordsOnly.GetProperty("passages").GetArrayLength()}");
        foreach (var preview in new[] { fused, keywordsOnly })
        {
            Assert.Equal("answer", preview.GetProperty("action").GetString());
            Assert.Equal("builtin", preview.GetProperty("engine").GetString());
            Assert.Contains("#exchanges", preview.GetProperty("citations")[0].GetProperty("url").GetString());
        }
    }
}
