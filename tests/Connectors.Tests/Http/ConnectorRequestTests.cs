using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Tests.Http;

public sealed class ConnectorRequestTests
{
    [Theory]
    [InlineData("GET", false, true)]
    [InlineData("PUT", false, true)]
    [InlineData("DELETE", false, true)]
    [InlineData("POST", false, false)]
    [InlineData("PATCH", false, false)]
    [InlineData("POST", true, true)]
    public void IsSafeToRetry_MethodAndIdempotencyKey_OnlyRepeatableRequests(string method, bool key, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://vendor.example/x");
        if (key) request.Headers.Add("Idempotency-Key", "k1");
        Assert.Equal(expected, ConnectorRequest.IsSafeToRetry(request));
    }

    [Fact]
    public void IsSafeToRetry_MarkedUpsert_IsRepeatable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://vendor.example/batch/upsert").MarkIdempotent();
        Assert.True(ConnectorRequest.IsSafeToRetry(request));
    }
}
