using System.Net.Http.Headers;
using System.Text;

namespace IntegrationHub.Connectors.Http;

/// <summary>HTTP Basic auth; the credentials are read per request so secret rotation needs no restart.</summary>
internal sealed class BasicAuthHandler(Func<(string User, string Password)> credentials) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (user, password) = credentials();
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return base.SendAsync(request, cancellationToken);
    }
}
