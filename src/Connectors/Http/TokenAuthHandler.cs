using System.Net.Http.Headers;

namespace IntegrationHub.Connectors.Http;

/// <summary>A static token in the Authorization header (<c>Bearer x</c>, RT's <c>token x</c>), read per request.</summary>
internal sealed class TokenAuthHandler(string scheme, Func<string> token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token());
        return base.SendAsync(request, cancellationToken);
    }
}
