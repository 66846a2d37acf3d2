using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot;

/// <summary>The connector manifests of the bot's two <c>connectors.json</c> types.</summary>
public static class BotManifests
{
    public const string BuiltInType = "builtin-bot";
    public const string OpenAICompatibleType = "openai-compatible";

    /// <summary><c>builtin-bot</c>: the offline engine (intents, knowledge, handoff policy, redaction).</summary>
    public static ConnectorManifest BuiltIn { get; } = ConnectorManifest.FromResource(typeof(BotManifests).Assembly, "Bot");

    /// <summary><c>openai-compatible</c>: an optional chat/embedding model behind Microsoft.Extensions.AI.</summary>
    public static ConnectorManifest OpenAICompatible { get; } = ConnectorManifest.FromResource(typeof(BotManifests).Assembly, "AI");

    public static IReadOnlyList<ConnectorManifest> All => [BuiltIn, OpenAICompatible];
}
