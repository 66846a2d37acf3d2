using System.Text.Json.Serialization;

namespace IntegrationHub.Bot;

/// <summary>What the bot did with a message.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BotAction>))]
public enum BotAction
{
    /// <summary>Answered, grounded in knowledge or an intent's answer, with citations.</summary>
    [JsonStringEnumMemberName("answer")] Answer,
    /// <summary>Asked the customer to rephrase or add a detail (first miss).</summary>
    [JsonStringEnumMemberName("clarify")] Clarify,
    /// <summary>Offered the likely intents as options (second step of the fallback).</summary>
    [JsonStringEnumMemberName("offer-options")] OfferOptions,
    /// <summary>Handed the conversation to a human; the reply carries the packet.</summary>
    [JsonStringEnumMemberName("handoff")] Handoff,
    /// <summary>Asked for a detail: an intent's field, or after-hours intake before a handoff.</summary>
    [JsonStringEnumMemberName("intake")] Intake,
}
