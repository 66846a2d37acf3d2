using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Connectors.Http;

/// <summary>
/// Builds each connector instance's <see cref="HttpClient"/>: auth handler → <see cref="ResilienceHandler"/>
/// → <see cref="LoggingHandler"/> → a pooled socket handler. One pipeline (and so one breaker and
/// one limiter) per connector instance.
/// </summary>
public sealed class ConnectorHttpFactory
{
    readonly Func<HttpMessageHandler> primary;
    readonly ILoggerFactory loggers;

    public ConnectorHttpFactory(ILoggerFactory? loggers = null, TimeProvider? time = null, Func<HttpMessageHandler>? primary = null)
    {
        this.loggers = loggers ?? NullLoggerFactory.Instance;
        Time = time ?? TimeProvider.System;
        this.primary = primary ?? (() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false });
    }

    public TimeProvider Time { get; }

    internal ILogger Logger(string connectorId) => loggers.CreateLogger($"IntegrationHub.Connectors.{connectorId}");

    /// <summary>A plain client for auxiliary calls that must not be paced (OAuth token endpoints).</summary>
    internal HttpMessageInvoker CreateTokenClient() => new(primary(), disposeHandler: true);

    internal HttpClient Create(string connectorId, Uri baseAddress, VendorHttpPolicy policy, DelegatingHandler? auth, out ResilienceHandler resilience)
    {
        var logger = Logger(connectorId);
        resilience = new ResilienceHandler(connectorId, policy, Time, logger)
        {
            InnerHandler = new LoggingHandler(connectorId, logger) { InnerHandler = primary() },
        };
        HttpMessageHandler top = resilience;
        if (auth is not null)
        {
            auth.InnerHandler = resilience;
            top = auth;
        }
        // The pipeline owns timeouts per attempt; HttpClient's own timeout only bounds a whole retry sequence.
        return new HttpClient(top, disposeHandler: true) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }
}
