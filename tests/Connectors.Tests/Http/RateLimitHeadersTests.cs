using System.Net;
using System.Text;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Tests.Http;

/// <summary>Vendor throttle signals that are not a plain 429 + Retry-After.</summary>
public sealed class RateLimitHeadersTests
{
    static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-01T12:00:00Z");

    static async Task<HttpResponseMessage> ResponseAsync(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        await response.Content.LoadIntoBufferAsync(); // as the resilience handler does for error bodies
        return response;
    }

    [Fact]
    public async Task Salesforce_ConcurrentRequestLimit_IsAShortRetryableThrottle()
    {
        using var response = await ResponseAsync(HttpStatusCode.Forbidden,
            "[{\"message\":\"ConcurrentRequests (Concurrent API Requests) Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", ("Sforce-Limit-Info", "api-usage=120/100000"));
        var signal = RateLimitHeaders.Salesforce(response, Now);
        Assert.Equal(new ThrottleSignal(true, TimeSpan.FromSeconds(1)), signal);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", await response.Content.ReadAsStringAsync()); // the body stays readable for the error message
    }

    [Fact]
    public async Task Salesforce_DailyAllocationUsedUp_PausesForAnHour()
    {
        using var response = await ResponseAsync(HttpStatusCode.Forbidden,
            "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", ("Sforce-Limit-Info", "api-usage=100000/100000"));
        Assert.Equal(new ThrottleSignal(true, TimeSpan.FromHours(1)), RateLimitHeaders.Salesforce(response, Now));
    }

    [Fact]
    public async Task Salesforce_PermissionError_IsNotAThrottle()
    {
        using var response = await ResponseAsync(HttpStatusCode.Forbidden,
            "[{\"message\":\"insufficient access rights on object id\",\"errorCode\":\"INSUFFICIENT_ACCESS_OR_READONLY\"}]", ("Sforce-Limit-Info", "api-usage=10/100000"));
        Assert.Null(RateLimitHeaders.Salesforce(response, Now));
    }

    [Fact]
    public async Task Jira_429WithResetOnly_WaitsUntilTheReset()
    {
        using var response = await ResponseAsync(HttpStatusCode.TooManyRequests, "", ("X-RateLimit-Reset", "2026-03-01T12:02Z"), ("RateLimit-Reason", "jira-burst-based"));
        Assert.Equal(new ThrottleSignal(true, TimeSpan.FromMinutes(2)), RateLimitHeaders.Jira(response, Now));
    }
}
