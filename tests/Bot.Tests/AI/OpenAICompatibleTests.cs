using IntegrationHub.Bot.AI;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Tests.Fakes;
using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Bot.Tests.AI;

public class OpenAICompatibleTests : IAsyncLifetime
{
    FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    OpenAICompatibleOptions Options(double timeoutSeconds = 10, string? embeddingModel = null) =>
        new() { Endpoint = _server.Endpoint, Model = "test-model", EmbeddingModel = embeddingModel, TimeoutSeconds = timeoutSeconds };

    [Fact]
    public async Task GetResponseAsync_FakeServer_SendsOpenAIShapeWithKeyAndParsesReply()
    {
        var services = new ServiceCollection().AddOpenAICompatible(Options(), () => "sk-test").BuildServiceProvider();
        var client = services.GetRequiredService<IChatClient>();
        _server.Reply = body => $"echo: {body["messages"]![1]!["content"]}";

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hello")]);

        Assert.Equal("echo: hello", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
        var (path, authorization, body) = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", path);
        Assert.Equal("Bearer sk-test", authorization);
        Assert.Equal("test-model", body["model"]!.GetValue<string>());
        Assert.Equal("system", body["messages"]![0]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateAsync_FakeServer_ReturnsVectorsInInputOrder()
    {
        var services = new ServiceCollection().AddOpenAICompatible(Options(embeddingModel: "embed-model")).BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var vectors = await generator.GenerateAsync(["refund timing", "password reset"]);

        Assert.Equal(FakeOpenAIServer.Embed("refund timing"), vectors[0].Vector.ToArray());
        Assert.Equal(FakeOpenAIServer.Embed("password reset"), vectors[1].Vector.ToArray());
    }

    [Fact]
    public async Task GetResponseAsync_ServerError_ThrowsWithStatus()
    {
        var client = new ServiceCollection().AddOpenAICompatible(Options()).BuildServiceProvider().GetRequiredService<IChatClient>();
        _server.FailWithStatus = 503;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
    }

    [Fact]
    public async Task ReplyAsync_ModelConfigured_AnswersFromPassagesWithRenumberedCitations()
    {
        _server.Reply = body => body["messages"]![0]!["content"]!.GetValue<string>().StartsWith("You answer", StringComparison.Ordinal)
            ? "Refunds arrive within 5 working days of us receiving your return [2]." : """{"intent":"none","confidence":0.1}""";
        await using var bot = await BotHarness.CreateAsync(model: Options());

        var reply = await bot.SayAsync("How long does a refund take to reach my card?");

        Assert.Equal(BotAction.Answer, reply.Action);
        Assert.Equal("model", reply.Engine);
        Assert.Equal("Refunds arrive within 5 working days of us receiving your return [1].", reply.Text);
        Assert.Single(reply.Citations);
        var prompt = _server.Requests.Last(r => r.Body["messages"]![0]!["content"]!.GetValue<string>().StartsWith("You answer", StringComparison.Ordinal)).Body;
        Assert.Contains("Refund timing", prompt["messages"]![1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReplyAsync_ModelRefuses_BotDoesNotGuessAndClarifies()
    {
        _server.Reply = body => body["messages"]![0]!["content"]!.GetValue<string>().StartsWith("You answer", StringComparison.Ordinal)
            ? ModelAssistant.NoAnswer : """{"intent":"none","confidence":0.9}""";
        await using var bot = await BotHarness.CreateAsync(model: Options());

        var reply = await bot.SayAsync("How long does a refund take to reach my card?");

        Assert.Equal(BotAction.Clarify, reply.Action);
        Assert.Empty(reply.Citations);
    }

    [Fact]
    public async Task ReplyAsync_ModelAnswerWithoutCitation_FallsBackToBuiltInGroundedAnswer()
    {
        _server.Reply = _ => "Refunds are instant!";
        await using var bot = await BotHarness.CreateAsync(model: Options());

        var reply = await bot.SayAsync("How long does a refund take to reach my card?");

        Assert.Equal("builtin", reply.Engine);
        Assert.Contains("5 working days", reply.Text);
    }

    [Fact]
    public async Task ReplyAsync_ModelTimesOut_FallsBackToBuiltInEngine()
    {
        _server.Delay = TimeSpan.FromSeconds(5);
        await using var bot = await BotHarness.CreateAsync(o => o.ModelTimeoutSeconds = 1, model: Options());

        var reply = await bot.SayAsync("How long does a refund take to reach my card?");

        Assert.Equal(BotAction.Answer, reply.Action);
        Assert.Equal("builtin", reply.Engine);
        Assert.Contains("5 working days", reply.Text);
        Assert.Contains("model answer: failed", reply.Trace);
    }

    [Fact]
    public async Task ReplyAsync_ModelDown_StillAnswersIntentWithBuiltInClassifier()
    {
        _server.FailWithStatus = 500;
        await using var bot = await BotHarness.CreateAsync(model: Options());

        var reply = await bot.SayAsync("I was charged twice");

        Assert.Equal(BotAction.Handoff, reply.Action);
        Assert.Equal("billing_dispute", reply.Intent);
    }

    [Fact]
    public async Task ReplyAsync_ModelNamesIntent_UsesItWhenBuiltInIsUnsure()
    {
        _server.Reply = body => body["messages"]![0]!["content"]!.GetValue<string>().StartsWith("Classify", StringComparison.Ordinal)
            ? """{"intent":"cancel_account","confidence":0.93}""" : ModelAssistant.NoAnswer;
        await using var bot = await BotHarness.CreateAsync(model: Options());

        var reply = await bot.SayAsync("I'd like to stop being a customer of yours");

        Assert.Equal("cancel_account", reply.Intent);
        Assert.Equal(BotAction.Handoff, reply.Action);
    }

    [Fact]
    public async Task DraftAsync_ModelConfigured_DraftCitesPassages()
    {
        _server.Reply = _ => "Hi Grace, you can reset it from the sign-in page via Forgot password [1].";
        await using var bot = await BotHarness.CreateAsync(model: Options());

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
            [new TranscriptMessage(1, "customer", "public", "How do I reset my password?", BotHarness.WorkingHours)]));

        Assert.Equal("model", draft.Engine);
        Assert.True(draft.Grounded);
        Assert.Equal("Your account › Resetting your password", draft.Citations[0].Title);
    }

    [Theory]
    [InlineData(500, 0, 30)]
    [InlineData(null, 5, 1)]
    public async Task DraftAsync_ModelFailsOrTimesOut_BuiltInDraftWithSources(int? status, int delaySeconds, int timeoutSeconds)
    {
        _server.FailWithStatus = status;
        _server.Delay = TimeSpan.FromSeconds(delaySeconds);
        _server.Reply = _ => "Hi, you can reset it via Forgot password [1].";
        await using var bot = await BotHarness.CreateAsync(o => o.ModelTimeoutSeconds = timeoutSeconds, model: Options());

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
        [
            new TranscriptMessage(1, "customer", "public", "How do I reset my password?", BotHarness.WorkingHours),
            new TranscriptMessage(2, "customer", "public", "I want to talk to a person", BotHarness.WorkingHours),
        ]));

        Assert.Equal("builtin", draft.Engine);
        Assert.True(draft.Grounded, draft.Note);
        Assert.Equal("Your account › Resetting your password", draft.Citations[0].Title);
        // The failing model was asked (a timed-out request may not have reached the server on a loaded machine).
        if (status is not null) Assert.Contains(_server.Requests, r => r.Path == "/v1/chat/completions");
    }

    [Fact]
    public async Task SearchAsync_EmbeddingsConfigured_StoresVectorsAndFusesThem()
    {
        await using var bot = await BotHarness.CreateAsync(model: Options(embeddingModel: "embed-model"));
        var chunks = await bot.Chunks.ListAsync(BotHarness.Workspace);

        Assert.All(chunks, c => Assert.Equal(FakeOpenAIServer.Embed(KnowledgeIndexer.EmbeddingText(c)), c.Embedding));
        var reply = await bot.SayAsync("How long does a refund take to reach my card?");
        Assert.Equal("Returns and refunds › Refund timing", reply.Citations[0].Title);
        Assert.Contains(_server.Requests, r => r.Path == "/v1/embeddings" && r.Body["input"]!.AsArray().Count == 1);
    }
}
