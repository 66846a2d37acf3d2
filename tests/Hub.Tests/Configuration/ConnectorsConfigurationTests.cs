using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Configuration;

public sealed class ConnectorsConfigurationTests
{
    [Fact]
    public async Task Start_ShippedConfiguration_ServesDemoPageAndWidget()
    {
        await using var hub = await HubProcess.StartAsync(HubProcess.ShippedConnectorsFile());
        using var http = new HttpClient { BaseAddress = hub.Address };

        var page = await http.GetStringAsync("/");
        var widget = await http.GetAsync("/widget.js");
        var session = await http.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" });

        Assert.Contains("<script src=\"/widget.js\" data-site=\"web\"", page);
        Assert.Equal(HttpStatusCode.OK, widget.StatusCode);
        Assert.Equal("text/javascript", widget.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task Start_InvalidFile_HubExitsAndSaysConnectorAndField()
    {
        var (exitCode, errors) = await HubProcess.RunUntilExitAsync("""
            { "connectors": [ { "id": "web", "type": "webchat", "settings": { "tokenLifetimeMinutes": "forever" } } ] }
            """);

        Assert.Equal(2, exitCode);
        Assert.Contains("connector 'web': settings.tokenLifetimeMinutes: expected an integer, got a string", errors);
    }

    [Fact]
    public async Task Start_UnknownTypeAndBadSecret_BothReported()
    {
        var (exitCode, errors) = await HubProcess.RunUntilExitAsync("""
            { "connectors": [
              { "id": "desk", "type": "mystery-desk", "settings": {} },
              { "id": "web", "type": "webchat", "settings": { "identitySecret": "env:HUB_TEST_SECRET_THAT_IS_NOT_SET" } }
            ] }
            """);

        Assert.Equal(2, exitCode);
        Assert.Contains("connector 'desk': type: unknown connector type 'mystery-desk'", errors);
        Assert.Contains("connector 'web': settings.identitySecret: bad secret reference env:HUB_TEST_SECRET_THAT_IS_NOT_SET", errors);
    }

    [Fact]
    public async Task EditWhileRunning_ValidEditApplied_InvalidEditKeepsLastGood()
    {
        await using var hub = await HubFactory.CreateAsync();
        var client = hub.CreateClient();
        var monitor = hub.Get<ConnectorsConfigurationMonitor>();
        var sites = hub.Get<WebChatSites>();

        await File.WriteAllTextAsync(hub.ConnectorsFile, HubFactory.DefaultConnectors.Replace("Test shop", "Renamed shop"));
        await Eventually.TrueAsync(() => Task.FromResult(sites.Find("web")?.Settings.Title == "Renamed shop"), what: "the watcher to apply the edit");

        await File.WriteAllTextAsync(hub.ConnectorsFile, """{ "connectors": [ { "id": "web", "type": "webchat", "settings": { "title": 5 } } ] }""");
        Assert.False(monitor.Reload());
        await Task.Delay(600); // the watcher's own reload of the bad edit must not apply it either
        Assert.Equal("Renamed shop", sites.Find("web")!.Settings.Title);
        var session = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" });
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task AdminConnectors_ShowsSecretReferencesNeverValues()
    {
        await using var hub = await HubFactory.CreateAsync();
        var client = hub.CreateClient();

        var body = await client.GetStringAsync("/api/admin/connectors");
        var types = await client.GetFromJsonAsync<JsonElement>("/api/admin/connector-types");

        Assert.Contains("env:HUB_TEST_IDENTITY_SECRET", body);
        Assert.DoesNotContain(HubFactory.IdentitySecret, body);
        Assert.Contains(types.EnumerateArray(), t => t.GetProperty("id").GetString() == "webchat");
    }

    [Fact]
    public async Task AdminApi_WithTokenConfigured_RequiresIt()
    {
        Environment.SetEnvironmentVariable("HUB_TEST_ADMIN_TOKEN", "admin-123");
        await using var hub = await HubFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Hub:AdminToken"] = "env:HUB_TEST_ADMIN_TOKEN" });
        var client = hub.CreateClient();

        var without = await client.GetAsync("/api/admin/connectors");
        client.DefaultRequestHeaders.Authorization = new("Bearer", "admin-123");
        var with = await client.GetAsync("/api/admin/connectors");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task RateLimit_PerVisitor_429WithRetryAfterAndProblem()
    {
        await using var hub = await HubFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Hub:RateLimits:PerVisitorPerMinute"] = "5" });
        var (client, _) = await hub.VisitorAsync();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 8; i++)
        {
            last = await client.PostAsync("/api/webchat/conversations", null);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(last.Headers.RetryAfter?.Delta?.TotalSeconds >= 1);
        Assert.Contains("too many requests", (await last.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var (other, _) = await hub.VisitorAsync();
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsync("/api/webchat/conversations", null)).StatusCode);
    }

    [Fact]
    public async Task VendorConnector_Configured_KnownToHubAndMakesHumansAvailable()
    {
        Environment.SetEnvironmentVariable("HUB_TEST_ZENDESK_TOKEN", "zd-token");
        await using var hub = await HubFactory.CreateAsync(connectors: """
            { "connectors": [
              { "id": "web", "type": "webchat", "settings": {} },
              { "id": "zendesk-eu", "type": "zendesk", "settings": { "baseUrl": "https://acme.zendesk.com", "email": "bot@acme.example", "apiToken": "env:HUB_TEST_ZENDESK_TOKEN" } }
            ] }
            """);

        var (_, session) = await hub.VisitorAsync();
        var registry = hub.Get<IntegrationHub.Connectors.Abstractions.IConnectorRegistry>();

        Assert.True(session.Availability.HumansAvailable);
        Assert.False(session.Availability.Offline);
        Assert.Equal("zendesk-eu", Assert.Single(registry.With<IntegrationHub.Connectors.Abstractions.ITicketSink>()) is IntegrationHub.Connectors.Abstractions.IConnector c ? c.Id : null);
    }
}
