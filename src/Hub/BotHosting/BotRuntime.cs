using IntegrationHub.Bot;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// The bot built from one snapshot of connectors.json: its own small service provider (AddBot, and
/// AddOpenAICompatible when a model is enabled) over the hub's SQL stores. Rebuilt, not mutated, when
/// the bot's settings change, so a turn in flight keeps the settings it started with.
/// </summary>
internal sealed class BotRuntime : IAsyncDisposable
{
    readonly ServiceProvider provider;

    BotRuntime(ServiceProvider provider, ConnectorConfig bot, ConnectorConfig? model)
    {
        this.provider = provider;
        Bot = bot;
        Model = model;
        Engine = provider.GetRequiredService<IBotEngine>();
        Redactor = provider.GetRequiredService<IRedactor>();
        Indexer = provider.GetRequiredService<IKnowledgeIndexer>();
        Search = provider.GetRequiredService<IKnowledgeSearch>();
        Options = bot.Bind<BotOptions>();
    }

    /// <summary>The <c>builtin-bot</c> entry the runtime was built from.</summary>
    public ConnectorConfig Bot { get; }

    /// <summary>The <c>openai-compatible</c> entry, when one is enabled.</summary>
    public ConnectorConfig? Model { get; }

    public BotOptions Options { get; }
    public IBotEngine Engine { get; }
    public IRedactor Redactor { get; }
    public IKnowledgeIndexer Indexer { get; }
    public IKnowledgeSearch Search { get; }

    /// <summary>Builds the bot; throws <see cref="ConnectorConfigurationException"/> naming the connector when its settings cannot be used.</summary>
    public static BotRuntime Create(ConnectorConfig bot, ConnectorConfig? model, IServiceProvider hub)
    {
        var services = new ServiceCollection();
        // The hub's logging, clock and stores: instances, so disposing this provider leaves them alone.
        services.AddSingleton(hub.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(hub.GetRequiredService<TimeProvider>());
        services.AddSingleton(hub.GetRequiredService<IIntentStore>());
        services.AddSingleton(hub.GetRequiredService<IKnowledgeChunkStore>());
        services.AddSingleton(hub.GetRequiredService<IKnowledgeSourceStore>());
        string current = bot.Id;
        try
        {
            services.AddBot(bot);
            current = model?.Id ?? bot.Id;
            if (model is not null) services.AddOpenAICompatible(model);
            current = bot.Id;
            return new BotRuntime(services.BuildServiceProvider(), bot, model);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new ConnectorConfigurationException([new(current, "settings", e.Message)]);
        }
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
