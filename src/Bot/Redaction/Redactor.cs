using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationHub.Bot.Redaction;

/// <summary>Masks card numbers that pass the Luhn check (keeping the last four digits) and configured patterns.</summary>
internal sealed partial class Redactor : IRedactor
{
    // 13–19 digits, optionally grouped by single spaces or dashes, not glued to other digits.
    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex CardCandidate();

    readonly IReadOnlyList<(string Name, Regex Regex)> _patterns;

    public Redactor(IEnumerable<RedactionPattern> patterns)
    {
        _patterns = patterns
            .Select(p => (p.Name, new Regex(p.Pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100))))
            .ToList();
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var result = CardCandidate().Replace(text, MaskCard);
        foreach (var (name, regex) in _patterns)
        {
            try
            {
                result = regex.Replace(result, $"[redacted {name}]");
            }
            catch (RegexMatchTimeoutException)
            {
                // A runaway pattern must not let the text through unmasked: withhold all of it.
                return $"[redacted: pattern '{name}' timed out]";
            }
        }
        return result;
    }

    static string MaskCard(Match match)
    {
        var digits = new string(match.Value.Where(char.IsAsciiDigit).ToArray());
        if (!Luhn.IsValid(digits)) return match.Value; // order numbers, phone numbers: left alone
        var builder = new StringBuilder(match.Value.Length);
        var seen = 0;
        foreach (var c in match.Value)
        {
            if (!char.IsAsciiDigit(c)) { builder.Append(c); continue; }
            builder.Append(seen++ < digits.Length - 4 ? '*' : c);
        }
        return builder.ToString();
    }
}
