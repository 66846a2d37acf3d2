using System.Globalization;
using System.Text;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Support;

/// <summary>
/// The hub's own webhook signature, for systems without a native scheme (generic webhook, ServiceNow
/// business rules, Salesforce Apex callouts): <c>X-Hub-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-Hub-Signature-256: sha256=&lt;lowercase hex HMAC-SHA256(secret, timestamp + "." + raw body)&gt;</c>.
/// </summary>
public static class HubWebhookSignature
{
    public const string TimestampHeader = "X-Hub-Timestamp";
    public const string SignatureHeader = "X-Hub-Signature-256";

    /// <summary>Computes the signature header value.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body) =>
        "sha256=" + WebhookCrypto.Hex(WebhookCrypto.HmacSha256(secret, WebhookCrypto.Concat(timestamp + ".", body)));

    /// <summary>Signs a body now: returns the two headers to send.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(string secret, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return [new(TimestampHeader, timestamp), new(SignatureHeader, Sign(secret, timestamp, body))];
    }

    /// <summary>Verifies a request signed this way (constant-time); the timestamp is returned for the replay window.</summary>
    public static WebhookVerification Verify(WebhookRequest request, string secret)
    {
        var timestamp = request.Header(TimestampHeader);
        var signature = request.Header(SignatureHeader);
        if (timestamp is null || signature is null) return WebhookVerification.Failure($"missing {TimestampHeader} or {SignatureHeader} header");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return WebhookVerification.Failure($"{TimestampHeader} is not a Unix time");
        return WebhookCrypto.EqualsConstantTime(Sign(secret, timestamp, request.Body.Span), signature)
            ? WebhookVerification.Success(DateTimeOffset.FromUnixTimeSeconds(seconds))
            : WebhookVerification.Failure("signature mismatch");
    }

    internal static string Text(ReadOnlyMemory<byte> body) => Encoding.UTF8.GetString(body.Span);
}
