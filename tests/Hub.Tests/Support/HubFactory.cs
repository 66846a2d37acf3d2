using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHub.Hub.Channels.WebChat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests.Support;

/// <summary>
/// The real hub (Program) on a fresh database and its own connectors.json. With
/// <c>kestrel: true</c> it listens on a real 127.0.0.1 port, for browsers and SSE clients.
/// </summary>
public sealed class HubFactory : WebApplicationFactory<Program>
{
    public const string DefaultConnectors = """
        {
          "connectors": [
            { "id": "web", "type": "webchat", "settings": {
                "title": "Test shop", "allowedOrigins": ["https://shop.example"],
                "identitySecret": "env:HUB_TEST_IDENTITY_SECRET",
                "attachments": { "maxBytes": 20000, "allowedTypes": ["image/png", "application/pdf"] } } }
          ]
        }
        """;

    /// <summary>The default web chat site plus the built-in bot (sample intents and knowledge seeded at start), no ticketing connector.</summary>
    public const string BotConnectors = """
        {
          "connectors": [
            { "id": "web", "type": "webchat", "settings": {
                "title": "Test shop", "allowedOrigins": ["https://shop.example"],
                "identitySecret": "env:HUB_TEST_IDENTITY_SECRET",
                "attachments": { "maxBytes": 20000, "allowedTypes": ["image/png", "application/pdf"] } } },
            { "id": "bot", "type": "builtin-bot", "settings": { "redactionPatterns": [{ "name": "iban", "pattern": "\\bGB\\d{2}[A-Z]{4}\\d{14}\\b" }] } }
          ]
        }
        """;

    public const string IdentitySecret = "test-identity-secret";

    readonly TestDatabase database;
    readonly bool ownsDatabase;
    readonly IReadOnlyDictionary<string, string?> settings;
    Action<IServiceCollection>? extraServices;

    HubFactory(TestDatabase database, bool ownsDatabase, string connectorsFile, bool kestrel, IReadOnlyDictionary<string, string?> settings)
    {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        ConnectorsFile = connectorsFile;
        this.settings = settings;
        if (kestrel) UseKestrel(0);
    }

    public string ConnectorsFile { get; }

    public static async Task<HubFactory> CreateAsync(string backend = "sqlite", string connectors = DefaultConnectors, bool kestrel = false,
        IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? sharedDatabase = null, Action<IServiceCollection>? services = null)
    {
        Environment.SetEnvironmentVariable("HUB_TEST_IDENTITY_SECRET", IdentitySecret);
        var database = sharedDatabase ?? await TestDatabase.CreateAsync(backend);
        var file = Path.Combine(Directory.CreateTempSubdirectory("hub-connectors-").FullName, "connectors.json");
        await File.WriteAllTextAsync(file, connectors);
        return new HubFactory(database, sharedDatabase is null, file, kestrel, settings ?? new Dictionary<string, string?>()) { extraServices = services };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Hub", database.ConnectionString);
        builder.UseSetting("Hub:ConnectorsFile", ConnectorsFile);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (extraServices is { } add) builder.ConfigureServices(add);
    }

    /// <summary>The real listening address (Kestrel mode).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        }
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client holding a fresh visitor session on site "web".</summary>
    public async Task<(HttpClient Client, SessionResponse Session)> VisitorAsync(object? user = null)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        return (client, session);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) await database.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(ConnectorsFile)!, recursive: true);
    }
}
