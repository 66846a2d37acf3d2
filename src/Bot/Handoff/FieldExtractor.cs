using System.Text.RegularExpressions;

namespace IntegrationHub.Bot.Handoff;

/// <summary>Pulls a field's value out of a customer's reply: built-in patterns for common fields, else the reply itself.</summary>
internal static partial class FieldExtractor
{
    [GeneratedRegex(@"[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex Email();

    [GeneratedRegex(@"\+?\d[\d\s().-]{6,}\d")]
    private static partial Regex Phone();

    // Not the visible tail of a masked card number ("************1111").
    [GeneratedRegex(@"(?<!\*[ -]?)\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}\b", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(?:my name is|i am|im|i'm|this is|it's|its|name:)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex NamePreamble();

    /// <summary>The value, or null when the reply does not contain one (the bot asks again).</summary>
    public static string? Extract(string field, string? pattern, string reply)
    {
        var text = reply.Trim();
        if (text.Length == 0) return null;
        var regex = pattern is not null ? new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100))
            : field switch
            {
                "email" => Email(),
                "phone" => Phone(),
                "order_number" or "order" or "reference" or "booking_number" or "invoice_number" => Reference(),
                _ => null,
            };
        if (regex is not null)
        {
            var match = regex.Match(text);
            return match.Success ? match.Value.Trim() : null;
        }
        if (field == "name") text = NamePreamble().Replace(text, "").Trim().TrimEnd('.', '!');
        return text.Length > 500 ? text[..500] : text;
    }
}
