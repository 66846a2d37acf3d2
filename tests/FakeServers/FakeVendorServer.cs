using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.FakeServers;

/// <summary>
/// Base of every fake vendor: real HTTP on Kestrel at 127.0.0.1 (random port), a request log,
/// fault injection (<see cref="Faults"/>), optional rate-limit enforcement the vendor's way, and
/// neutral views of the stored tickets and contacts for assertions.
/// </summary>
/// <remarks>State lives in memory and is guarded by <see cref="Sync"/>; handlers are thread-safe.</remarks>
public abstract class FakeVendorServer : IAsyncDisposable
{
    WebApplication? app;
    long windowStart;
    int windowCount;

    public Uri BaseUrl { get; private set; } = null!;
    public FaultInjector Faults { get; } = new();
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    /// <summary>Enforced limit (requests per window), answered the vendor's way; null = unlimited.</summary>
    public (int Limit, TimeSpan Window)? RateLimit { get; set; }
    /// <summary>Throttled responses sent (enforced limit plus injected).</summary>
    public int ThrottledCount => throttled;
    int throttled;
    protected readonly Lock Sync = new();
    public abstract string Vendor { get; }

    public abstract IReadOnlyList<FakeTicket> Tickets { get; }
    public abstract IReadOnlyList<FakeContact> Contacts { get; }

    /// <summary>Sends a signed (or otherwise authenticated) webhook the way the vendor does, about one ticket.</summary>
    public abstract Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Use(RecordAsync);
        app.Use(InjectFaultsAsync);
        app.Use(EnforceRateLimitAsync);
        app.Use(async (ctx, next) =>
        {
            if (Authorize(ctx)) await next(ctx);
            else await WriteUnauthorizedAsync(ctx);
        });
        MapRoutes(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
    }

    protected abstract void MapRoutes(WebApplication app);
    protected abstract bool Authorize(HttpContext context);
    protected abstract Task WriteUnauthorizedAsync(HttpContext context);

    /// <summary>The vendor's throttle answer (status, headers, body).</summary>
    protected virtual Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.StatusCode = 429;
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        return context.Response.WriteAsync("Too Many Requests");
    }

    /// <summary>The vendor's answer to data it refuses (status and error body of vendor-contracts.md).</summary>
    protected abstract Task WriteValidationErrorAsync(HttpContext context, string message);

    /// <summary>Headers the vendor puts on every response about its limit.</summary>
    protected virtual void AddRateLimitHeaders(HttpContext context, int limit, int remaining) { }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    async Task RecordAsync(HttpContext ctx, RequestDelegate next)
    {
        ctx.Request.EnableBuffering();
        using var copy = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(copy);
        ctx.Request.Body.Position = 0;
        Requests.Enqueue(new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "",
            ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ctx.Request.ContentType, copy.ToArray(), DateTimeOffset.UtcNow));
        await next(ctx);
    }

    /// <summary>
    /// Requests that reach the vendor's identity provider rather than its API (OAuth token endpoints):
    /// neither injected faults nor the enforced API limit apply to them, as with the real services
    /// (Entra ID is another host; Salesforce does not count token requests against API limits).
    /// </summary>
    protected virtual bool IsIdentityRequest(HttpRequest request) => false;

    async Task InjectFaultsAsync(HttpContext ctx, RequestDelegate next)
    {
        var fault = IsIdentityRequest(ctx.Request) ? null : Faults.Take(ctx.Request);
        switch (fault?.Kind)
        {
            case null:
                await next(ctx);
                return;
            case FaultKind.Throttle:
                Interlocked.Increment(ref throttled);
                await WriteThrottledAsync(ctx, fault.RetryAfter ?? TimeSpan.FromSeconds(1));
                return;
            case FaultKind.Status:
                ctx.Response.StatusCode = fault.Status;
                if (fault.RetryAfter is { } ra) ctx.Response.Headers.RetryAfter = Seconds(ra);
                await ctx.Response.WriteAsync($"injected {fault.Status}");
                return;
            case FaultKind.Slow:
                await Task.Delay(fault.Delay, ctx.RequestAborted).ContinueWith(_ => { });
                if (!ctx.RequestAborted.IsCancellationRequested) await next(ctx);
                return;
            case FaultKind.Reject:
                await WriteValidationErrorAsync(ctx, fault.Message);
                return;
            case FaultKind.Abort:
                ctx.Abort();
                return;
            case FaultKind.TimeoutAfterCommit:
                // Process (commit) the request, then never answer: hold the response and drop the connection.
                var original = ctx.Response.Body;
                ctx.Response.Body = new MemoryStream();
                await next(ctx);
                await Task.Delay(fault.Delay, ctx.RequestAborted).ContinueWith(_ => { });
                ctx.Response.Body = original;
                ctx.Abort();
                return;
        }
    }

    async Task EnforceRateLimitAsync(HttpContext ctx, RequestDelegate next)
    {
        if (RateLimit is not { } rule || IsIdentityRequest(ctx.Request))
        {
            await next(ctx);
            return;
        }
        int count;
        TimeSpan left;
        lock (Sync)
        {
            // Fixed windows aligned to the clock, as vendors count ("per minute"), not to our first request.
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var size = Math.Max(1L, (long)rule.Window.TotalMilliseconds);
            var start = now / size * size;
            if (start != windowStart)
            {
                windowStart = start;
                windowCount = 0;
            }
            count = ++windowCount;
            left = TimeSpan.FromMilliseconds(windowStart + size - now);
        }
        if (count > rule.Limit)
        {
            Interlocked.Increment(ref throttled);
            await WriteThrottledAsync(ctx, left);
            return;
        }
        AddRateLimitHeaders(ctx, rule.Limit, rule.Limit - count);
        await next(ctx);
    }

    /// <summary>Retry-After in whole seconds, rounded up (never 0 while throttled).</summary>
    protected static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected static async Task<JsonNode?> ReadJsonAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        try { return text.Length == 0 ? null : JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    protected static Task WriteJsonAsync(HttpContext ctx, int status, JsonNode? body)
    {
        ctx.Response.StatusCode = status;
        if (body is null) return Task.CompletedTask;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(body.ToJsonString());
    }

    protected static string? BasicCredentials(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
        catch (FormatException) { return null; }
    }

    protected static string? Bearer(HttpContext ctx, string scheme = "Bearer")
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        return header.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase) ? header[(scheme.Length + 1)..].Trim() : null;
    }

    protected static string? S(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>POSTs JSON signed with the hub signature (X-Hub-Timestamp, X-Hub-Signature-256 over timestamp + "." + body).</summary>
    protected static async Task<HttpResponseMessage> SendHubSignedAsync(Uri target, JsonNode payload, string secret, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Timestamp", timestamp);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }

    protected static HttpClient WebhookClient() => new() { Timeout = TimeSpan.FromSeconds(10) };
}
