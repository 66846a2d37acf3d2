using System.Diagnostics;
using System.Net;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Http;
using IntegrationHub.FakeServers.Zendesk;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Connectors.Tests.Http;

/// <summary>
/// The shared resilience pipeline over real HTTP against the Zendesk fake: which requests are retried,
/// how throttling is honoured, and that breaker and limiter belong to one connector instance.
/// </summary>
public sealed class ResilienceHandlerTests : IAsyncLifetime
{
    readonly ZendeskFake fake = new();
    readonly ConnectorHttpFactory factory = new();

    public Task InitializeAsync() => fake.StartAsync();

    public async Task DisposeAsync() => await fake.DisposeAsync();

    static VendorHttpPolicy Policy(int maxRetries = 3, int permits = 1000, double windowSeconds = 60, double breakSeconds = 30) => new()
    {
        MaxRetries = maxRetries,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        PermitLimit = permits,
        Window = TimeSpan.FromSeconds(windowSeconds),
        BreakDuration = TimeSpan.FromSeconds(breakSeconds),
        MinimumThroughput = 3,
        ReadThrottle = RateLimitHeaders.Zendesk,
    };

    HttpClient Client(string id, VendorHttpPolicy policy) =>
        factory.Create(id, fake.BaseUrl, policy, new BasicAuthHandler(() => ($"{fake.Email}/token", fake.ApiToken)), out _);

    int Calls(string method, string path) => fake.Requests.Count(r => r.Method == method && r.Path == path);

    [Fact]
    public async Task Get_ServerErrorsThenSuccess_IsRetried()
    {
        using var http = Client("zd-a", Policy());
        fake.Faults.Status(503, 2, "GET", "/api/v2/users/me");
        using var response = await http.GetAsync("api/v2/users/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, Calls("GET", "/api/v2/users/me"));
    }

    [Fact]
    public async Task PostWithoutIdempotencyKey_ServerError_IsNotRepeated()
    {
        using var http = Client("zd-a", Policy());
        fake.Faults.Status(500, 5, "POST", "/api/v2/tickets");
        using var response = await http.PostAsync("api/v2/tickets", new StringContent("""{"ticket":{"subject":"s","comment":{"body":"b"}}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, Calls("POST", "/api/v2/tickets"));
    }

    [Fact]
    public async Task PostWithIdempotencyKey_TimeoutAfterCommit_RetriedAndVendorReturnsTheSameTicket()
    {
        using var http = Client("zd-a", Policy());
        fake.Faults.TimeoutAfterCommit(1, "POST", "/api/v2/tickets");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/tickets")
        {
            Content = new StringContent("""{"ticket":{"subject":"s","comment":{"body":"b"},"external_id":"conv-k"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "conv-k");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("hit", response.Headers.GetValues("x-idempotency-lookup").Single());
        Assert.Equal(2, Calls("POST", "/api/v2/tickets"));
        Assert.Single(fake.Tickets);
    }

    [Fact]
    public async Task Post_Throttled_IsRepeatedAfterRetryAfter()
    {
        using var http = Client("zd-a", Policy());
        fake.Faults.Throttle(1, TimeSpan.FromSeconds(1), "POST", "/api/v2/tickets");
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync("api/v2/tickets", new StringContent("""{"ticket":{"subject":"s","comment":{"body":"b"}}}""", System.Text.Encoding.UTF8, "application/json"));
        // A 429 was not processed, so even a plain POST is sent again, but only after the vendor's Retry-After.
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after only {watch.Elapsed}");
        Assert.Equal(2, Calls("POST", "/api/v2/tickets"));
        Assert.Single(fake.Tickets);
    }

    [Fact]
    public async Task Throttle_PausesTheWholeInstance_OtherCallsWaitToo()
    {
        using var http = Client("zd-a", Policy());
        fake.Faults.Throttle(1, TimeSpan.FromSeconds(1), "GET", "/api/v2/users/me");
        var first = http.GetAsync("api/v2/users/me");
        // The second call starts once the vendor has answered the first with its 429 (a fixed delay from the start
        // raced a cold first connection); the gap is measured where the vendor sees the calls arrive.
        while (Calls("GET", "/api/v2/users/me") == 0) await Task.Delay(10);
        await Task.Delay(100);
        using var second = await http.GetAsync("api/v2/tickets");
        var throttled = fake.Requests.First(r => r.Path == "/api/v2/users/me").At;
        var next = fake.Requests.First(r => r.Path == "/api/v2/tickets").At;
        Assert.True(next - throttled >= TimeSpan.FromSeconds(0.95), $"second call reached the vendor {next - throttled} after the 429, inside its Retry-After");
        (await first).Dispose();
    }

    [Fact]
    public async Task Circuit_IsPerInstance_OneBrokenInstanceDoesNotStopAnother()
    {
        using var broken = Client("zd-broken", Policy(maxRetries: 0));
        using var healthy = Client("zd-healthy", Policy(maxRetries: 0));
        fake.Faults.Status(500, 1000, "GET", "/api/v2/users/me");
        for (var i = 0; i < 4; i++)
            try { (await broken.GetAsync("api/v2/users/me")).Dispose(); } catch (ConnectorException) { }
        var open = await Assert.ThrowsAsync<ConnectorException>(() => broken.GetAsync("api/v2/users/me"));
        Assert.Contains("circuit open", open.Message);
        Assert.Contains("'zd-broken'", open.Message);
        Assert.Equal(ConnectorErrorKind.Unavailable, open.Kind);

        fake.Faults.Clear();
        using var response = await healthy.GetAsync("api/v2/users/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Limiter_IsPerInstance_PacesOneWithoutSlowingAnother()
    {
        using var paced = Client("zd-paced", Policy(permits: 2, windowSeconds: 1));
        using var free = Client("zd-free", Policy());
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++) (await paced.GetAsync("api/v2/users/me")).Dispose();
        var pacedTime = watch.Elapsed;
        watch.Restart();
        for (var i = 0; i < 5; i++) (await free.GetAsync("api/v2/users/me")).Dispose();
        // 5 requests at 2 per second need two full windows; the other instance's budget is untouched.
        Assert.True(pacedTime >= TimeSpan.FromSeconds(1.9), $"paced instance took only {pacedTime}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"free instance took {watch.Elapsed}");
        Assert.Equal(0, fake.ThrottledCount);
    }

    [Fact]
    public async Task Timeout_SlowVendor_SurfacesAsUnavailableNamingConnector()
    {
        using var http = Client("zd-slow", Policy(maxRetries: 0) with { AttemptTimeout = TimeSpan.FromMilliseconds(300) });
        fake.Faults.Slow(TimeSpan.FromSeconds(3), 1, "GET", "/api/v2/users/me");
        var error = await Assert.ThrowsAsync<ConnectorException>(() => http.GetAsync("api/v2/users/me"));
        Assert.Equal(ConnectorErrorKind.Unavailable, error.Kind);
        Assert.Contains("'zd-slow'", error.Message);
        Assert.Contains("no response within", error.Message);
    }
}
