using System.Text.Json.Serialization;

namespace IntegrationHub.Bot.Intents;

/// <summary>Who handles an intent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IntentRouting>))]
public enum IntentRouting
{
    /// <summary>The bot answers (intent answer or knowledge); misses go through the fallback ladder.</summary>
    [JsonStringEnumMemberName("bot")] Bot,
    /// <summary>The bot collects the fields and answers if it can; otherwise a human takes over with what was collected.</summary>
    [JsonStringEnumMemberName("hybrid")] Hybrid,
    /// <summary>Always a human (billing dispute, cancellation, complaint).</summary>
    [JsonStringEnumMemberName("human")] Human,
}
