using System.Text;

namespace IntegrationHub.Bot.Knowledge;

/// <summary>GitHub-style heading anchors: "Refund timing & fees" → "refund-timing--fees".</summary>
internal static class Slug
{
    public static string From(string heading)
    {
        var builder = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '_' || c == '-') builder.Append(c);
            else if (c == ' ') builder.Append('-');
        }
        return builder.ToString();
    }
}
