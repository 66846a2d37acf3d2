using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Webhooks.Signing;

namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>
/// Issues and checks visitor tokens: <c>v1.{payload}.{signature}</c>, base64url, HMAC-SHA256 with a
/// key kept in the store so every node accepts every node's tokens.
/// </summary>
public sealed class VisitorTokens(IConversationStore store, TimeProvider time)
{
    /// <summary>How long after expiry a token may still be exchanged for a fresh one (same visitor).</summary>
    public static readonly TimeSpan RenewalWindow = TimeSpan.FromDays(30);

    byte[]? key;
    // Every request of a visitor carries the same token: check its signature once, its expiry every time.
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, VisitorToken> verified = new(StringComparer.Ordinal);

    async ValueTask<byte[]> KeyAsync()
    {
        if (key is { } k) return k;
        var stored = await store.GetOrCreateSecretAsync("visitor-token-key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return key = Convert.FromBase64String(stored);
    }

    public async Task<string> IssueAsync(VisitorToken token)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(token.ContactId, token.VisitorId, token.SiteId, token.Identity.ToText(),
            token.IssuedAt.ToUnixTimeSeconds(), token.ExpiresAt.ToUnixTimeSeconds()));
        var body = "v1." + Base64Url.EncodeToString(payload);
        return body + "." + Base64Url.EncodeToString(HmacSignature.Sha256(await KeyAsync(), Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>Checks signature and expiry; <paramref name="error"/> says which failed.</summary>
    public async Task<(VisitorToken? Token, string? Error)> ValidateAsync(string? text, bool allowExpired = false)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "a visitor token is required (Authorization: Bearer <token>)");
        if (verified.TryGetValue(text, out var known)) return CheckExpiry(known, allowExpired);
        var parts = text.Split('.');
        if (parts is not ["v1", var payloadPart, var signaturePart]) return (null, "the visitor token is malformed");
        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(payloadPart);
            signature = Base64Url.DecodeFromChars(signaturePart);
        }
        catch (FormatException)
        {
            return (null, "the visitor token is malformed");
        }
        var expected = HmacSignature.Sha256(await KeyAsync(), Encoding.ASCII.GetBytes($"v1.{payloadPart}"));
        if (!HmacSignature.FixedTimeEquals(expected, signature)) return (null, "the visitor token's signature is invalid");
        Payload? claims;
        try { claims = JsonSerializer.Deserialize<Payload>(payload); }
        catch (JsonException) { return (null, "the visitor token is malformed"); }
        if (claims is null) return (null, "the visitor token is malformed");
        var token = new VisitorToken(claims.sub, claims.vid, claims.site, EnumText.Parse<IdentityStatus>(claims.idv),
            DateTimeOffset.FromUnixTimeSeconds(claims.iat), DateTimeOffset.FromUnixTimeSeconds(claims.exp));
        if (verified.Count > 50_000) verified.Clear(); // bounded; a cold token costs one HMAC
        verified[text] = token;
        return CheckExpiry(token, allowExpired);
    }

    (VisitorToken? Token, string? Error) CheckExpiry(VisitorToken token, bool allowExpired)
    {
        var now = time.GetUtcNow();
        if (token.ExpiresAt <= now && !(allowExpired && token.ExpiresAt + RenewalWindow > now))
            return (null, $"the visitor token expired at {token.ExpiresAt:u}; start a new session");
        return (token, null);
    }

    // Short JWT-like claim names keep tokens small in URLs (the event stream passes it as ?token=).
    sealed record Payload(string sub, string vid, string site, string idv, long iat, long exp);
}
