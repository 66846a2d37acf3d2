using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Webhooks.Signing;

/// <summary>HMAC signatures as vendors and widgets use them, compared in constant time.</summary>
public static class HmacSignature
{
    public static byte[] Sha256(byte[] key, ReadOnlySpan<byte> payload) => HMACSHA256.HashData(key, payload);

    public static string Sha256Hex(string key, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(payload)));

    /// <summary>True when <paramref name="hex"/> (any case) is the HMAC-SHA256 of the payload.</summary>
    public static bool VerifySha256Hex(string key, string payload, string? hex)
    {
        if (string.IsNullOrEmpty(hex)) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(payload));
        byte[] given;
        try { given = Convert.FromHexString(hex); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Constant-time comparison, so response timing does not reveal how much of a signature was right.</summary>
    public static bool FixedTimeEquals(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> given) =>
        CryptographicOperations.FixedTimeEquals(expected, given);
}
