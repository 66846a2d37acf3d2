using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Connectors.Support;

/// <summary>HMAC helpers for vendor webhook signatures; comparisons are constant-time.</summary>
internal static class WebhookCrypto
{
    public static byte[] HmacSha256(string key, ReadOnlySpan<byte> message) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), message);

    public static byte[] Concat(string prefix, ReadOnlySpan<byte> body, string suffix = "")
    {
        var head = Encoding.UTF8.GetBytes(prefix);
        var tail = Encoding.UTF8.GetBytes(suffix);
        var all = new byte[head.Length + body.Length + tail.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all.AsSpan(head.Length));
        tail.CopyTo(all, head.Length + body.Length);
        return all;
    }

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    public static bool EqualsConstantTime(string? expected, string? actual) =>
        expected is not null && actual is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
