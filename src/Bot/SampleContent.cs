using System.Text.Json;
using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Bot;

/// <summary>
/// The sample knowledge and intents the embedded default loads into an empty workspace
/// (a fictional retailer's shipping, returns and account help).
/// </summary>
public static class SampleContent
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The sample knowledge folder copied next to the bot's assembly (<c>SampleKnowledge/</c>).</summary>
    public static string KnowledgeFolder => Path.Combine(AppContext.BaseDirectory, "SampleKnowledge");

    /// <summary>The sample intents (embedded, so they load even when the folder is not deployed).</summary>
    public static IReadOnlyList<IntentDefinition> Intents()
    {
        using var stream = typeof(SampleContent).Assembly.GetManifestResourceStream("IntegrationHub.Bot.SampleKnowledge.intents.json")
            ?? throw new InvalidOperationException("sample intents are not embedded");
        return JsonSerializer.Deserialize<List<IntentDefinition>>(stream, Json) ?? [];
    }
}
