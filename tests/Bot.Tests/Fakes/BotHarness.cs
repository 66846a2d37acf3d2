using IntegrationHub.Bot.AI;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Bot.Tests.Fakes;

/// <summary>The bot wired through <c>AddBot</c> over in-memory stores holding the sample intents and knowledge.</summary>
internal sealed class BotHarness : IAsyncDisposable
{
    public const string Workspace = "ws";
    readonly ServiceProvider _services;
    long _sequence;

    BotHarness(ServiceProvider services, ManualTimeProvider time)
    {
        _services = services;
        Time = time;
    }

    public ManualTimeProvider Time { get; }
    public IBotEngine Engine => _services.GetRequiredService<IBotEngine>();
    public IKnowledgeIndexer Indexer => _services.GetRequiredService<IKnowledgeIndexer>();
    public InMemoryIntentStore Intents => (InMemoryIntentStore)_services.GetRequiredService<IIntentStore>();
    public IKnowledgeSearch Search => _services.GetRequiredService<IKnowledgeSearch>();
    public IKnowledgeChunkStore Chunks => _services.GetRequiredService<IKnowledgeChunkStore>();
    public List<TranscriptMessage> Transcript { get; } = [];
    public BotState State { get; set; } = BotState.Initial;
    public IReadOnlyList<string> Segments { get; set; } = [];
    public ContactInfo? Contact { get; set; }

    /// <summary>Monday 2026-03-02 10:00 UTC: inside default business hours.</summary>
    public static readonly DateTimeOffset WorkingHours = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static async Task<BotHarness> CreateAsync(Action<BotOptions>? configure = null, OpenAICompatibleOptions? model = null,
        IEnumerable<IntentDefinition>? intents = null, DateTimeOffset? now = null)
    {
        var time = new ManualTimeProvider(now ?? WorkingHours);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IIntentStore>(new InMemoryIntentStore(Workspace, intents ?? SampleContent.Intents()));
        services.AddSingleton<IKnowledgeChunkStore, InMemoryChunkStore>();
        if (model is not null) services.AddOpenAICompatible(model);
        services.AddBot(configure);
        var provider = services.BuildServiceProvider();
        var harness = new BotHarness(provider, time);
        await harness.Indexer.SyncFolderAsync(new KnowledgeSource(Workspace, "sample", KnowledgeSourceKinds.Folder, SampleContent.KnowledgeFolder, "https://help.example.com"));
        return harness;
    }

    /// <summary>Sends a customer message, appends the bot's reply to the transcript and keeps its state, like the hub does.</summary>
    public async Task<BotReply> SayAsync(string text)
    {
        Transcript.Add(new TranscriptMessage(++_sequence, "customer", "public", text, Time.GetUtcNow()));
        var reply = await Engine.ReplyAsync(new BotRequest
        {
            WorkspaceId = Workspace,
            ConversationId = "c1",
            Channel = "webchat",
            Transcript = Transcript.ToList(),
            State = State,
            Segments = Segments,
            Contact = Contact,
        });
        Transcript.Add(new TranscriptMessage(++_sequence, "bot", "public", reply.Text, Time.GetUtcNow()));
        State = reply.State;
        return reply;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
