using System.Text.Json;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>Reads JSON Lines files, naming the file and line of any bad record.</summary>
internal static class JsonLines
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static List<T> Read<T>(string path)
    {
        if (!File.Exists(path)) throw new EvalUsageException($"file not found: {path}");
        var items = new List<T>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                items.Add(JsonSerializer.Deserialize<T>(line, Json) ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new EvalUsageException($"{path}:{number}: not a valid record ({e.Message})");
            }
        }
        return items;
    }
}
