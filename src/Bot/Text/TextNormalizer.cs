using System.Text;

namespace IntegrationHub.Bot.Text;

/// <summary>Lower-cases and reduces text to letters, digits and single spaces.</summary>
/// <remarks>
/// Culture-free on purpose: every node must turn the same message into the same tokens, whatever
/// its locale (the project runs with invariant globalization).
/// </remarks>
internal static class TextNormalizer
{
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var raw in text)
        {
            // Apostrophes join ("don't" -> "dont") so contractions stay one token.
            if (raw is '\'' or '\u2019') continue;
            var c = char.ToLowerInvariant(Fold(raw));
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0) builder.Append(' ');
                pendingSpace = false;
                builder.Append(c);
            }
            else
            {
                pendingSpace = true;
            }
        }
        return builder.ToString();
    }

    public static List<string> Words(string text)
    {
        var normalized = Normalize(text);
        return normalized.Length == 0 ? [] : [.. normalized.Split(' ')];
    }

    // Invariant globalization has no Unicode normalisation tables we can rely on; fold the common
    // Latin accents by hand so "café" and "cafe" meet.
    static char Fold(char c) => c switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'À' or 'Á' or 'Â' or 'Ã' or 'Ä' or 'Å' => 'a',
        'è' or 'é' or 'ê' or 'ë' or 'È' or 'É' or 'Ê' or 'Ë' => 'e',
        'ì' or 'í' or 'î' or 'ï' or 'Ì' or 'Í' or 'Î' or 'Ï' => 'i',
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'Ò' or 'Ó' or 'Ô' or 'Õ' or 'Ö' => 'o',
        'ù' or 'ú' or 'û' or 'ü' or 'Ù' or 'Ú' or 'Û' or 'Ü' => 'u',
        'ç' or 'Ç' => 'c',
        'ñ' or 'Ñ' => 'n',
        'ý' or 'ÿ' or 'Ý' => 'y',
        _ => c,
    };
}
