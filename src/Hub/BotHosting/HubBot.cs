using IntegrationHub.Bot;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Configuration;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>
/// The hub's bot: built at start from the enabled <c>builtin-bot</c> entry of connectors.json (plus an
/// enabled <c>openai-compatible</c> model), rebuilt when those entries change, absent when none is enabled.
/// After each build the workspace's content is brought up to date (sample intents, knowledge folders).
/// </summary>
/// <remarks>
/// An invalid bot entry at start stops the hub like any invalid connectors.json; on a reload it keeps
/// the previous bot and logs why. Thread-safe: readers take <see cref="Current"/> once per turn.
/// </remarks>
internal sealed class HubBot(ConnectorsConfigurationMonitor connectors, BotContent content, IServiceProvider services, ILogger<HubBot> logger)
    : IHostedService, IAsyncDisposable
{
    static readonly IRedactor DefaultRedactor = new ServiceCollection().AddBot().BuildServiceProvider().GetRequiredService<IRedactor>();
    static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(30);

    readonly Lock gate = new();
    BotRuntime? current;
    string key = "";

    /// <summary>The bot now, or null when no <c>builtin-bot</c> is enabled.</summary>
    public BotRuntime? Current => Volatile.Read(ref current);

    /// <summary>The current bot's redactor; without a bot, card numbers are still masked.</summary>
    public IRedactor Redactor => Current?.Redactor ?? DefaultRedactor;

    /// <summary>The latest content preparation (seeding and indexing), finished or not.</summary>
    public Task ContentReady { get; private set; } = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Apply(connectors.Current, atStart: true);
        connectors.Changed += OnChanged;
        // At start the hub waits for its knowledge: the first customer gets the same answers as the next.
        if (Current is { } runtime) await content.PrepareAsync(connectors.Current.Workspace, runtime, cancellationToken);
    }

    void OnChanged(ConnectorsConfiguration configuration)
    {
        if (!Apply(configuration, atStart: false) || Current is not { } runtime) return;
        ContentReady = Task.Run(async () =>
        {
            try
            {
                await content.PrepareAsync(configuration.Workspace, runtime, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Preparing the bot's content after a connectors.json change failed; the next change or start retries");
            }
        });
    }

    /// <summary>Swaps the runtime when the bot's entries changed; returns whether it did.</summary>
    bool Apply(ConnectorsConfiguration configuration, bool atStart)
    {
        var bots = configuration.EnabledOfType(BotManifests.BuiltInType).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var model = configuration.EnabledOfType(BotManifests.OpenAICompatibleType).OrderBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault();
        var bot = bots.FirstOrDefault();
        var newKey = bot is null ? "" : $"{Describe(bot)}\n{(model is null ? "" : Describe(model))}";
        BotRuntime? previous;
        lock (gate)
        {
            if (newKey == key && !atStart) return false;
            BotRuntime? built = null;
            if (bot is not null)
            {
                if (bots.Count > 1)
                    logger.LogWarning("{Count} builtin-bot connectors are enabled; using {Id}", bots.Count, bot.Id);
                try
                {
                    built = BotRuntime.Create(bot, model, services);
                }
                catch (ConnectorConfigurationException e) when (!atStart)
                {
                    logger.LogError("The bot's settings changed but cannot be used; keeping the previous bot. {Problems}", e.Message);
                    return false;
                }
            }
            previous = current;
            Volatile.Write(ref current, built);
            key = newKey;
        }
        logger.LogInformation(bot is null ? "No builtin-bot connector is enabled: the bot does not answer" : "Bot {Id} ready (model: {Model})",
            bot?.Id, model?.Id ?? "none");
        if (previous is not null) _ = DrainAsync(previous);
        return true;
    }

    /// <summary>Turns started on the old runtime may still be running: dispose it once they are done.</summary>
    async Task DrainAsync(BotRuntime runtime)
    {
        await Task.Delay(DrainTime);
        await runtime.DisposeAsync();
    }

    static string Describe(ConnectorConfig config) => $"{config.Id}:{config.Settings.ToJsonString()}";

    public Task StopAsync(CancellationToken cancellationToken)
    {
        connectors.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Current is { } runtime) await runtime.DisposeAsync();
    }
}
