using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Conformance.Suites;

/// <summary>Every connector: manifest matches interfaces, check works and explains failures, errors name the connector, the circuit recovers.</summary>
public abstract class ConnectorConformance : ConformanceBase
{
    [Fact]
    public void Manifest_Capabilities_MatchImplementedInterfaces()
    {
        var expected = new Dictionary<string, Type>
        {
            [ConnectorCapabilities.TicketSink] = typeof(ITicketSink),
            [ConnectorCapabilities.ContactDirectory] = typeof(IContactDirectory),
            [ConnectorCapabilities.KnowledgeSource] = typeof(IKnowledgeSource),
            [ConnectorCapabilities.WebhookReceiver] = typeof(IWebhookReceiver),
            [ConnectorCapabilities.TicketHistory] = typeof(ITicketHistorySource),
        };
        foreach (var (capability, type) in expected)
            Assert.True(Connector.Manifest.Capabilities.Contains(capability) == type.IsInstanceOfType(Connector),
                $"{Connector.Manifest.Id}: manifest says {capability}={Connector.Manifest.Capabilities.Contains(capability)}, implements {type.Name}={type.IsInstanceOfType(Connector)}");
        Assert.Equal(Harness.Type, Connector.Manifest.Id);
    }

    [Fact]
    public void Manifest_DeclaresEveryField_Consistently()
    {
        var m = Connector.Manifest;
        Assert.Matches("^[a-z][a-z0-9]*$", m.Id);
        Assert.False(string.IsNullOrWhiteSpace(m.DisplayName));
        Assert.NotEmpty(m.Capabilities);
        var schema = m.SettingsSchema;
        Assert.Equal("object", schema["type"]?.GetValue<string>());
        Assert.False(schema["additionalProperties"]?.GetValue<bool>() ?? true, $"{m.Id}: unknown settings must be refused");
        var properties = Assert.IsType<System.Text.Json.Nodes.JsonObject>(schema["properties"]);
        foreach (var required in schema["required"] as System.Text.Json.Nodes.JsonArray ?? [])
            Assert.True(properties.ContainsKey(required!.GetValue<string>()), $"{m.Id}: required '{required}' is not a property");
        Assert.NotEmpty(m.Secrets);
        foreach (var secret in m.Secrets)
            Assert.True(properties[secret]?["type"]?.GetValue<string>() == "string", $"{m.Id}: secret '{secret}' must be a string setting (a secret reference)");
        // Every instance can tune the shared pipeline: its rate limit, timeout, retries and breaker.
        foreach (var shared in new[] { "rateLimitRequests", "rateLimitWindowSeconds", "timeoutSeconds", "maxRetries", "circuitBreakSeconds" })
            Assert.True(properties.ContainsKey(shared), $"{m.Id}: shared HTTP setting '{shared}' missing from the schema");
        Assert.Equal(m.Capabilities.Contains(ConnectorCapabilities.WebhookReceiver), m.WebhookEvents.Count > 0);
    }

    [Fact]
    public async Task CheckAsync_ValidCredentials_Succeeds()
    {
        var result = await Connector.CheckAsync();
        Assert.True(result.Ok, result.Message);
    }

    [Fact]
    public async Task CheckAsync_WrongCredentials_FailsNamingProblemWithoutSecret()
    {
        string wrong = "";
        var connector = Harness.CreateConnector((settings, secret) => { wrong = Harness.BreakCredentials(settings, secret); return settings; });
        var result = await connector.CheckAsync();
        Assert.False(result.Ok);
        Assert.Contains("authentication failed", result.Message);
        Assert.Contains(connector.Id, result.Message);
        Assert.DoesNotContain(wrong, result.Message);
    }

    [Fact]
    public async Task CheckAsync_VendorDown_FailsAsUnavailable()
    {
        Harness.Fake.Faults.Status(503, 100);
        var result = await Connector.CheckAsync();
        Assert.False(result.Ok);
        Assert.Contains("unavailable", result.Message);
    }

    [Fact]
    public async Task CheckAsync_PermissionMissing_FailsNamingPermission()
    {
        Harness.Fake.Faults.Status(403, 100);
        var result = await Connector.CheckAsync();
        Assert.False(result.Ok);
        Assert.Contains("permission missing", result.Message);
        Assert.Contains(Connector.Id, result.Message);
    }

    [Fact]
    public async Task CheckAsync_Unreachable_FailsAsUnavailableNamingConnector()
    {
        // A port that was just free: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var connector = Harness.CreateConnectorAt(new Uri($"http://127.0.0.1:{port}/"), id: "unreachable");
        var result = await connector.CheckAsync();
        Assert.False(result.Ok);
        Assert.Contains("'unreachable'", result.Message);
        Assert.Contains("unavailable", result.Message);
        (connector as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task Calls_RepeatedServerErrors_OpenCircuitThenRecover()
    {
        Harness.Fake.Faults.Status(500, 1000);
        var kinds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var result = await Connector.CheckAsync();
            Assert.False(result.Ok);
            kinds.Add(result.Message);
        }
        Assert.Contains(kinds, m => m.Contains("circuit open"));
        var before = Harness.Fake.Requests.Count;
        Assert.False((await Connector.CheckAsync()).Ok);
        Assert.Equal(before, Harness.Fake.Requests.Count); // open: fails fast without calling the vendor
        Harness.Fake.Faults.Clear();
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var recovered = await Connector.CheckAsync();
        Assert.True(recovered.Ok, recovered.Message);
    }
}
