namespace IntegrationHub.Connectors.Abstractions;

/// <summary>An inbound webhook exactly as received.</summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Url">The public URL the vendor called (scheme, host, path and query), as signed by vendors that sign URLs.</param>
/// <param name="Headers">Request headers; look-ups are case-insensitive.</param>
/// <param name="Body">Raw body bytes, unmodified.</param>
public sealed record WebhookRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>Builds a request whose headers are matched case-insensitively.</summary>
    public static WebhookRequest Create(string method, Uri url, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body) =>
        new(method.ToUpperInvariant(), url, new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase), body);

    public string? Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value
        : Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
