using System.Text.RegularExpressions;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>Sentence splitting good enough for help-centre prose: ends at . ! ? or a paragraph break.</summary>
internal static partial class Sentences
{
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'(])|\n{2,}")]
    private static partial Regex Boundary();

    public static IReadOnlyList<string> Split(string text) =>
        Boundary().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
}
