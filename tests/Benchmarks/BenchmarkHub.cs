using IntegrationHub.Hub.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The real hub (the same AddHub/UseHub as Program) on 127.0.0.1, for benchmarks: its own
/// connectors.json, warnings-only logging and, unless told otherwise, rate limits raised for load.
/// </summary>
internal sealed class BenchmarkHub(WebApplication app) : IAsyncDisposable
{
    public IServiceProvider Services => app.Services;

    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<BenchmarkHub> StartAsync(string connectionString, string connectorsJson, bool raiseLimits = true)
    {
        var connectors = Path.Combine(Directory.CreateTempSubdirectory("hub-bench-").FullName, "connectors.json");
        await File.WriteAllTextAsync(connectors, connectorsJson);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:Hub"] = connectionString;
        builder.Configuration["Hub:ConnectorsFile"] = connectors;
        if (raiseLimits)
        {
            // One client sending thousands of messages a second would be throttled in production.
            builder.Configuration["Hub:RateLimits:PerIpPerMinute"] = "100000000";
            builder.Configuration["Hub:RateLimits:PerVisitorPerMinute"] = "100000000";
        }
        builder.AddHub();
        var app = builder.Build();
        app.UseHub();
        await app.StartAsync();
        return new BenchmarkHub(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
