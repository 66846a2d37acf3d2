using System.Text.Json.Nodes;
using IntegrationHub.Connectors;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.FakeServers;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Connectors.Conformance;

/// <summary>
/// Starts a vendor's fake and builds connector instances for it the way the hub does: a
/// connectors.json entry validated against the manifest, secrets as file references, instances from
/// the registry registered by <c>AddConnectors()</c>.
/// </summary>
public abstract class VendorHarness : IAsyncDisposable
{
    readonly string secretDir = Directory.CreateTempSubdirectory("ihub-secrets-").FullName;
    ServiceProvider? services;
    IConnector? connector;

    public FakeVendorServer Fake { get; private set; } = null!;
    /// <summary>Everything the connectors logged.</summary>
    public CapturedLogs Logs { get; } = new();
    /// <summary>Every secret value handed to a connector (right or deliberately wrong): none may reach a log or an error.</summary>
    public IReadOnlyCollection<string> SecretValues => secretValues;
    readonly System.Collections.Concurrent.ConcurrentBag<string> secretValues = [];
    public abstract string Type { get; }
    public IConnector Connector => connector ??= CreateConnector();

    /// <summary>False where the vendor has no customer-visible comment on a ticket (HubSpot, Dataverse): customer messages arrive as notes.</summary>
    public virtual bool PublicCommentsSupported => true;
    public virtual bool AttachmentsSupported => true;
    public virtual bool PhoneLookupSupported => true;
    /// <summary>False where the vendor authenticates webhooks by a shared token only (Freshdesk, Dataverse): the body is not covered.</summary>
    public virtual bool WebhookBodySigned => true;
    /// <summary>The vendor's queue/group value the harness settings map the packet's queue ("billing") to, as the fake records it.</summary>
    public abstract string MappedQueue { get; }
    /// <summary>How the vendor's ticket records the hub channel "web" (a tag, a source or a field value).</summary>
    public virtual string ChannelValue => "web";
    /// <summary>Makes the vendor throttle ticket creation for longer than the pipeline waits in-line (5 minutes, the vendor's way).</summary>
    public virtual void ThrottleCreateForLong() => Fake.Faults.Throttle(1, TimeSpan.FromMinutes(5), CreateTicketMethod, CreateTicketPath);
    /// <summary>Path fragment of the request that creates a ticket (where "timeout after commit" is injected).</summary>
    public abstract string CreateTicketPath { get; }
    public virtual string CreateTicketMethod => "POST";

    protected abstract FakeVendorServer CreateFake();

    /// <summary>The connectors.json settings for this fake; <paramref name="secret"/> stores a secret and returns its reference.</summary>
    protected abstract JsonObject Settings(Uri baseUrl, Func<string, string> secret);

    /// <summary>Makes the settings' credentials wrong (for authentication tests); returns the wrong secret value.</summary>
    public abstract string BreakCredentials(JsonObject settings, Func<string, string> secret);

    public async Task StartAsync()
    {
        Fake = CreateFake();
        await Fake.StartAsync();
        var collection = new ServiceCollection();
        collection.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(Logs);
        collection.AddConnectors();
        services = collection.BuildServiceProvider();
    }

    public IConnector CreateConnector(Func<JsonObject, Func<string, string>, JsonObject>? tweak = null, string id = "") =>
        CreateConnectorAt(Fake.BaseUrl, tweak, id);

    /// <summary>A connector whose vendor (and identity provider) address is <paramref name="baseUrl"/>, e.g. a closed port.</summary>
    public IConnector CreateConnectorAt(Uri baseUrl, Func<JsonObject, Func<string, string>, JsonObject>? tweak = null, string id = "")
    {
        var settings = Settings(baseUrl, StoreSecret);
        settings["timeoutSeconds"] = 2;
        settings["circuitBreakSeconds"] = 1;
        if (tweak is not null) settings = tweak(settings, StoreSecret);
        var entry = new JsonObject { ["id"] = id.Length > 0 ? id : $"{Type}-test", ["type"] = Type, ["settings"] = settings };
        var file = new JsonObject { ["connectors"] = new JsonArray(entry) };
        var catalog = new ConnectorCatalog(services!.GetServices<ConnectorManifest>());
        var configuration = ConnectorsFileParser.Parse(file.ToJsonString(), catalog, secretDir);
        return services!.GetRequiredService<IConnectorRegistry>().Create(configuration.Connectors[0]);
    }

    string StoreSecret(string value)
    {
        secretValues.Add(value);
        var path = Path.Combine(secretDir, Guid.NewGuid().ToString("n"));
        File.WriteAllText(path, value);
        return "file:" + path;
    }

    public static HandoffPacket Packet(string conversationId, string email = "jane@example.test", string? phone = "+15551234567") => new()
    {
        ConversationId = conversationId,
        ConversationUrl = $"https://hub.example.test/conversations/{conversationId}",
        Channel = "web",
        Contact = new ContactInfo("c-1", "Jane Doe", [email], phone is null ? [] : [phone], "verified"),
        Intent = "billing_dispute",
        Confidence = 0.42,
        Priority = "high",
        Queue = "billing",
        Reason = "customer asked for a human",
        Transcript =
        [
            new TranscriptMessage(1, "customer", "public", "My invoice is wrong", DateTimeOffset.Parse("2026-01-05T10:00:00Z"), "Jane"),
            new TranscriptMessage(2, "bot", "public", "I can help with invoices.", DateTimeOffset.Parse("2026-01-05T10:00:05Z")),
        ],
    };

    public async ValueTask DisposeAsync()
    {
        (connector as IDisposable)?.Dispose();
        if (services is not null) await services.DisposeAsync();
        if (Fake is not null) await Fake.DisposeAsync();
        try { Directory.Delete(secretDir, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
