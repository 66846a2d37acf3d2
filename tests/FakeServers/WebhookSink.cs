using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.FakeServers;

/// <summary>
/// A loopback HTTP endpoint that records raw requests: stands in for the hub's webhook endpoint
/// (webhooks from fakes) and for an in-house system (the generic signed-webhook connector).
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    WebApplication? app;

    public Uri Url { get; private set; } = null!;
    public ConcurrentQueue<RecordedRequest> Received { get; } = new();
    /// <summary>Answers the next requests; default 200 with <c>{"id":"&lt;n&gt;"}</c>.</summary>
    public Func<RecordedRequest, (int Status, string Body)> Respond { get; set; } = r => (200, "{}");

    public static async Task<WebhookSink> StartAsync()
    {
        var sink = new WebhookSink();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        sink.app = builder.Build();
        sink.app.Run(async ctx =>
        {
            using var copy = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(copy);
            var recorded = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "",
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                ctx.Request.ContentType, copy.ToArray(), DateTimeOffset.UtcNow);
            sink.Received.Enqueue(recorded);
            var (status, body) = sink.Respond(recorded);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(body);
        });
        await sink.app.StartAsync();
        var address = sink.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.Url = new Uri(address.TrimEnd('/') + "/hooks/inbound?source=fake");
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
