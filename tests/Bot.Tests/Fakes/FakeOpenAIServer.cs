using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Bot.Tests.Fakes;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 (real Kestrel, real HTTP): <c>POST /v1/chat/completions</c>
/// and <c>POST /v1/embeddings</c> in OpenAI's shapes. Tests script the chat reply, inject delays and
/// errors, and read the requests it received.
/// </summary>
internal sealed class FakeOpenAIServer : IAsyncDisposable
{
    readonly WebApplication _app;

    /// <summary>Returns the assistant's content for a request body; null = answer with HTTP 500.</summary>
    public Func<JsonObject, string?> Reply { get; set; } = _ => "ok";
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
    public int? FailWithStatus { get; set; }
    public ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> Requests { get; } = new();

    FakeOpenAIServer(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/v1/chat/completions", (Func<HttpContext, Task<IResult>>)server.ChatAsync);
        app.MapPost("/v1/embeddings", (Func<HttpContext, Task<IResult>>)server.EmbeddingsAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = $"{address}/v1";
        return server;
    }

    async Task<IResult> ChatAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue(("/v1/chat/completions", context.Request.Headers.Authorization.ToString(), body));
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, context.RequestAborted);
        if (FailWithStatus is { } status) return Results.StatusCode(status);
        var content = Reply(body);
        if (content is null) return Results.StatusCode(500);
        return Results.Json(new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["model"] = body["model"]?.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        });
    }

    async Task<IResult> EmbeddingsAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue(("/v1/embeddings", context.Request.Headers.Authorization.ToString(), body));
        if (FailWithStatus is { } status) return Results.StatusCode(status);
        var inputs = body["input"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        // Listed in reverse to prove the client orders by index.
        var data = new JsonArray(inputs.Select((text, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = i,
            ["embedding"] = new JsonArray(Embed(text).Select(v => (JsonNode)v).ToArray()),
        }).Reverse().ToArray());
        return Results.Json(new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = body["model"]?.GetValue<string>() });
    }

    /// <summary>A deterministic bag-of-words vector (words of four letters or more, first five letters): texts sharing words point the same way.</summary>
    public static float[] Embed(string text)
    {
        var vector = new float[256];
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', '?', '!', ':', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length < 4) continue;
            var h = 0;
            foreach (var c in word[..Math.Min(5, word.Length)]) h = (h * 31 + c) & 0x7fffffff;
            vector[h % 256] += 1;
        }
        return vector;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
