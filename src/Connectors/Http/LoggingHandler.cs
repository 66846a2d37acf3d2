using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors.Http;

/// <summary>
/// Logs one line per attempt: connector, method, path, status, duration. Never logs headers
/// (credentials), query strings (tokens, e-mail addresses) or bodies.
/// </summary>
internal sealed class LoggingHandler(string connectorId, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var path = request.RequestUri?.AbsolutePath ?? "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            logger.LogDebug("connector {Connector}: {Method} {Path} -> {Status} in {Ms} ms", connectorId, request.Method, path,
                (int)response.StatusCode, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogDebug("connector {Connector}: {Method} {Path} failed after {Ms} ms: {Error}", connectorId, request.Method, path,
                (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.GetType().Name);
            throw;
        }
    }
}
