using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Http;

/// <summary>
/// OAuth 2.0 client credentials (Salesforce, Microsoft Entra ID for Dataverse): fetches and caches a
/// bearer token, refreshes it before expiry and once after a 401.
/// </summary>
/// <remarks>The token and client secret are never logged nor put in exceptions.</remarks>
internal sealed class OAuthClientCredentialsHandler(
    string connectorId, Uri tokenEndpoint, string clientId, Func<string> clientSecret, string? scope, HttpMessageInvoker tokenClient, TimeProvider time)
    : DelegatingHandler
{
    readonly SemaphoreSlim refresh = new(1, 1);
    (string Token, DateTimeOffset Expires)? cached;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(null, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        // A 401 was not processed, so one retry with a fresh token is safe for any method.
        response.Dispose();
        token = await TokenAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    async Task<string> TokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (cached is { } c && c.Token != rejected && c.Expires > time.GetUtcNow()) return c.Token;
        await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (cached is { } again && again.Token != rejected && again.Expires > time.GetUtcNow()) return again.Token;
            var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret() };
            if (scope is not null) form["scope"] = scope;
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
            tokenRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await tokenClient.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ConnectorException(connectorId, ConnectorErrorKind.Unavailable, $"token endpoint unreachable: {e.HttpRequestError}", inner: e);
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                JsonNode? json = null;
                try { json = JsonNode.Parse(body); } catch (System.Text.Json.JsonException) { }
                if (!response.IsSuccessStatusCode || json?["access_token"]?.GetValue<string>() is not { Length: > 0 } token)
                {
                    var reason = json?["error_description"]?.GetValue<string>() ?? json?["error"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
                    throw new ConnectorException(connectorId, (int)response.StatusCode >= 500 ? ConnectorErrorKind.Unavailable : ConnectorErrorKind.AuthenticationFailed,
                        $"client-credentials token request refused: {reason}", (int)response.StatusCode);
                }
                var lifetime = json["expires_in"] is JsonValue v && v.TryGetValue<int>(out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(30);
                cached = (token, time.GetUtcNow() + lifetime - TimeSpan.FromSeconds(Math.Min(60, lifetime.TotalSeconds / 2)));
                return token;
            }
        }
        finally { refresh.Release(); }
    }
}
