using System.Net.Http.Headers;

namespace IntegrationHub.Bot.AI;

/// <summary>Adds the API key to each request, reading it on every call so a rotated secret needs no restart.</summary>
/// <remarks>The key never appears in logs or exceptions.</remarks>
internal sealed class ApiKeyHandler(Func<string?> apiKey, string header) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (apiKey() is { Length: > 0 } key)
        {
            if (string.Equals(header, "api-key", StringComparison.OrdinalIgnoreCase)) request.Headers.TryAddWithoutValidation("api-key", key);
            else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
