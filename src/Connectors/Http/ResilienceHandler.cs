using System.Net;
using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Connectors.Http;

/// <summary>
/// The one resilience pipeline for every outbound vendor call of one connector instance (Polly.Core):
/// retry with jittered exponential backoff (outer) → circuit breaker → per-attempt timeout, plus a
/// client-side rate limiter at the vendor's published limit and an instance-wide pause whenever the
/// vendor signals throttling (Retry-After or its rate-limit headers).
/// </summary>
/// <remarks>
/// Only requests that are safe to repeat are retried after failures (see <see cref="ConnectorRequest.IsSafeToRetry"/>);
/// a throttled request (429 or the vendor's equivalent) was not processed, so it is retried whatever its
/// method. Failures surface as <see cref="ConnectorException"/> naming the connector. One instance per
/// connector instance: the breaker and the limiter are per instance. Thread-safe.
/// </remarks>
internal sealed class ResilienceHandler : DelegatingHandler
{
    static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("request");

    readonly string connectorId;
    readonly VendorHttpPolicy policy;
    readonly TimeProvider time;
    readonly ILogger logger;
    readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    long pausedUntilTicks;

    public ResilienceHandler(string connectorId, VendorHttpPolicy policy, TimeProvider time, ILogger logger)
    {
        this.connectorId = connectorId;
        this.policy = policy;
        this.time = time;
        this.logger = logger;
        Limiter = new SlidingLogRateLimiter(policy.PermitLimit, policy.Window, time);
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(policy.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = policy.BaseDelay,
                MaxDelay = policy.MaxRetryWait,
                ShouldHandle = args => ValueTask.FromResult(policy.MaxRetries > 0 && ShouldRetry(args.Context, args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } r && policy.ReadThrottle(r, time.GetUtcNow()) is { Wait: { } wait } ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    logger.LogInformation("connector {Connector}: retry {Attempt} in {Delay} ms after {Outcome}", connectorId,
                        args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = policy.FailureRatio,
                MinimumThroughput = policy.MinimumThroughput,
                SamplingDuration = policy.SamplingDuration,
                BreakDuration = policy.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
                OnOpened = args =>
                {
                    logger.LogWarning("connector {Connector}: circuit opened for {Seconds} s after {Outcome}", connectorId,
                        args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("connector {Connector}: circuit closed", connectorId);
                    return default;
                },
            })
            .AddTimeout(policy.AttemptTimeout)
            .Build();
    }

    /// <summary>The instance's client-side limiter (exposed for statistics).</summary>
    public SlidingLogRateLimiter Limiter { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffer the body once so every attempt can send it again.
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, self) => Outcome.FromResult(await self.AttemptAsync(ctx.Properties.GetValue(RequestKey, null!), ctx.CancellationToken).ConfigureAwait(false)),
                context, this).ConfigureAwait(false);
            if (outcome.Exception is { } exception) throw Translate(exception, cancellationToken);
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
        using (var lease = await Limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
            if (!lease.IsAcquired) throw new InvalidOperationException("rate limiter refused a single permit");
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Error bodies are small; buffered, a vendor's throttle reader can look at codes only the body carries (Salesforce REQUEST_LIMIT_EXCEEDED).
        if (!response.IsSuccessStatusCode) await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        if (policy.ReadThrottle(response, time.GetUtcNow()) is { Wait: { } wait } signal && wait > TimeSpan.Zero)
        {
            Pause(wait);
            if (signal.Rejected)
            {
                // When the wait is too long to retry in-line, the caller's job retries after exactly this.
                request.SetThrottleWait(wait);
                logger.LogWarning("connector {Connector}: throttled ({Status}), pausing {Seconds:0.###} s", connectorId, (int)response.StatusCode, wait.TotalSeconds);
            }
        }
        return response;
    }

    void Pause(TimeSpan wait)
    {
        var until = (time.GetUtcNow() + wait).UtcTicks;
        long current;
        while ((current = Interlocked.Read(ref pausedUntilTicks)) < until &&
               Interlocked.CompareExchange(ref pausedUntilTicks, until, current) != current) { }
    }

    async Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = new DateTimeOffset(Interlocked.Read(ref pausedUntilTicks), TimeSpan.Zero) - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero) return;
            await Task.Delay(remaining, time, cancellationToken).ConfigureAwait(false);
        }
    }

    bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (context.CancellationToken.IsCancellationRequested) return false;
        if (outcome.Result is { } response && policy.ReadThrottle(response, time.GetUtcNow()) is { Rejected: true } throttle)
            return throttle.Wait is not { } wait || wait <= policy.MaxRetryWait;
        if (outcome.Exception is BrokenCircuitException) return false;
        var request = context.Properties.GetValue(RequestKey, null!);
        return ConnectorRequest.IsSafeToRetry(request) && IsFailure(outcome);
    }

    static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } r } => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    Exception Translate(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => exception,
        BrokenCircuitException broken => new ConnectorException(connectorId, ConnectorErrorKind.Unavailable,
            "circuit open after repeated failures; calls resume after the break", retryAfter: broken.RetryAfter ?? policy.BreakDuration, inner: exception),
        TimeoutRejectedException => new ConnectorException(connectorId, ConnectorErrorKind.Unavailable,
            $"no response within {policy.AttemptTimeout.TotalSeconds:0.#} s", inner: exception),
        HttpRequestException http => new ConnectorException(connectorId, ConnectorErrorKind.Unavailable,
            $"network error: {http.HttpRequestError}", inner: exception),
        ConnectorException => exception,
        _ => exception,
    };

    static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";
}
