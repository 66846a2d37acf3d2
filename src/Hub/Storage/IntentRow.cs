using System.Text.Json;
using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Hub.Storage;

/// <summary>A row of <c>bot_intents</c>; examples and fields are JSON arrays.</summary>
internal sealed class IntentRow
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Routing { get; set; } = "bot";
    public string Examples { get; set; } = "[]";
    public string Fields { get; set; } = "[]";
    public string? Answer { get; set; }

    public IntentDefinition ToDefinition() => new(
        Name, DisplayName,
        JsonSerializer.Deserialize<List<string>>(Examples, Json) ?? [],
        Enum.Parse<IntentRouting>(Routing, ignoreCase: true),
        JsonSerializer.Deserialize<List<IntentField>>(Fields, Json) ?? [],
        Answer);

    public static string RoutingText(IntentRouting routing) => routing.ToString().ToLowerInvariant();

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);
}
