using IntegrationHub.Bot.AI;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot;

/// <summary>Registers the bot. The hub must also register <see cref="Intents.IIntentStore"/>, <see cref="IKnowledgeChunkStore"/> and <see cref="IKnowledgeSourceStore"/>.</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IBotEngine"/>, <see cref="IRedactor"/>, <see cref="IKnowledgeIndexer"/> and
    /// <see cref="IKnowledgeSearch"/>. Uses an <see cref="IChatClient"/> and an
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> when registered (see <see cref="AddOpenAICompatible(IServiceCollection, OpenAICompatibleOptions, Func{string?})"/>).
    /// </summary>
    public static IServiceCollection AddBot(this IServiceCollection services, Action<BotOptions>? configure = null)
    {
        var builder = services.AddOptions<BotOptions>();
        if (configure is not null) builder.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRedactor>(sp => new Redactor(sp.GetRequiredService<IOptions<BotOptions>>().Value.RedactionPatterns));
        services.TryAddSingleton<IKnowledgeIndexer, KnowledgeIndexer>();
        services.TryAddSingleton<IKnowledgeSearch, KnowledgeRetriever>();
        services.TryAddSingleton<IBotEngine, BotEngine>();
        return services;
    }

    /// <summary>Adds the bot with the settings of a <c>builtin-bot</c> entry of <c>connectors.json</c>.</summary>
    public static IServiceCollection AddBot(this IServiceCollection services, ConnectorConfig config)
    {
        if (config.Type != BotManifests.BuiltInType)
            throw new ArgumentException($"connector {config.Id} is of type {config.Type}, not {BotManifests.BuiltInType}", nameof(config));
        var bound = config.Bind<BotOptions>();
        return services.AddBot(o => Copy(bound, o));
    }

    /// <summary>
    /// Registers an <see cref="IChatClient"/> (and an embedding generator when an embedding model is set)
    /// for an OpenAI-compatible endpoint. <paramref name="apiKey"/> is called per request, so rotated secrets apply at once.
    /// </summary>
    public static IServiceCollection AddOpenAICompatible(this IServiceCollection services, OpenAICompatibleOptions options, Func<string?>? apiKey = null)
    {
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint))
            throw new ArgumentException($"openai-compatible endpoint '{options.Endpoint}' is not an absolute URL", nameof(options));
        // A trailing slash makes relative paths ("chat/completions") land under the version segment.
        var baseAddress = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/");
        services.AddHttpClient(BotManifests.OpenAICompatibleType, http =>
            {
                http.BaseAddress = baseAddress;
                http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            })
            .AddHttpMessageHandler(() => new ApiKeyHandler(apiKey ?? (() => null), options.ApiKeyHeader));
        services.TryAddSingleton<IChatClient>(sp =>
            new OpenAICompatibleChatClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(BotManifests.OpenAICompatibleType), options));
        if (!string.IsNullOrEmpty(options.EmbeddingModel))
            services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
                new OpenAICompatibleEmbeddingGenerator(sp.GetRequiredService<IHttpClientFactory>().CreateClient(BotManifests.OpenAICompatibleType), options));
        return services;
    }

    /// <summary>Registers the model of an <c>openai-compatible</c> entry of <c>connectors.json</c>; its <c>apiKey</c> secret reference is read per request.</summary>
    public static IServiceCollection AddOpenAICompatible(this IServiceCollection services, ConnectorConfig config)
    {
        if (config.Type != BotManifests.OpenAICompatibleType)
            throw new ArgumentException($"connector {config.Id} is of type {config.Type}, not {BotManifests.OpenAICompatibleType}", nameof(config));
        var options = config.Bind<OpenAICompatibleOptions>();
        var hasKey = !string.IsNullOrEmpty(options.ApiKey);
        options.ApiKey = null; // the reference stays in config; only the resolver reads the value
        return services.AddOpenAICompatible(options, hasKey ? () => config.Secret("apiKey") : null);
    }

    static void Copy(BotOptions from, BotOptions to)
    {
        to.ConfidenceThreshold = from.ConfidenceThreshold;
        to.OutOfScopeThreshold = from.OutOfScopeThreshold;
        to.AnswerThreshold = from.AnswerThreshold;
        to.HandoffOnSecondMiss = from.HandoffOnSecondMiss;
        to.HumanOnlyIntents = from.HumanOnlyIntents;
        to.VipSegments = from.VipSegments;
        to.SentimentHandoff = from.SentimentHandoff;
        to.KnowledgeFolders = from.KnowledgeFolders;
        to.RedactionPatterns = from.RedactionPatterns;
        to.BusinessHours = from.BusinessHours;
        to.UseModelForIntents = from.UseModelForIntents;
        to.ModelTimeoutSeconds = from.ModelTimeoutSeconds;
        to.Knowledge = from.Knowledge;
    }
}
