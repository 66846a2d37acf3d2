using System.Text;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Support;
using IntegrationHub.Connectors.JiraServiceManagement;
using IntegrationHub.Connectors.JiraServiceManagement.Webhooks;
using IntegrationHub.Connectors.Zendesk.Webhooks;

namespace IntegrationHub.Connectors.Tests.Webhooks;

/// <summary>Signature vectors from vendor-contracts.md, so verifiers match the vendors' algorithms.</summary>
public sealed class SignatureVectorTests
{
    static WebhookRequest Request(string body, params (string, string)[] headers) =>
        WebhookRequest.Create("POST", new Uri("https://hub.example.com/webhooks/x"), headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)), Encoding.UTF8.GetBytes(body));

    [Fact]
    public void ZendeskVerify_DocumentedVector_IsValid()
    {
        var receiver = new ZendeskWebhookReceiver("zd", () => "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==");
        var request = Request("{\"ticket_id\":\"123\",\"comment\":\"Hello\"}",
            ("X-Zendesk-Webhook-Signature", "RJj98x5SzXHcp3itLR/q71qf6tObpI2z7k4piBFFyKE="), ("X-Zendesk-Webhook-Signature-Timestamp", "2024-04-17T17:18:10Z"));
        var result = receiver.Verify(request);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(DateTimeOffset.Parse("2024-04-17T17:18:10Z"), result.SignedAt);
    }

    [Fact]
    public void ZendeskVerify_OtherSecret_IsRejected()
    {
        var receiver = new ZendeskWebhookReceiver("zd", () => "another-secret");
        var request = Request("{\"ticket_id\":\"123\",\"comment\":\"Hello\"}",
            ("X-Zendesk-Webhook-Signature", "RJj98x5SzXHcp3itLR/q71qf6tObpI2z7k4piBFFyKE="), ("X-Zendesk-Webhook-Signature-Timestamp", "2024-04-17T17:18:10Z"));
        Assert.False(receiver.Verify(request).Valid);
    }

    [Fact]
    public void HubSpotV3_DocumentedVector_Matches()
    {
        var message = WebhookCrypto.Concat("POSThttps://hub.example.com/webhooks/hubspot",
            Encoding.UTF8.GetBytes("[{\"eventId\":1,\"subscriptionType\":\"ticket.propertyChange\",\"objectId\":42}]"), "1708986599647");
        Assert.Equal("7IZGsN/uCMqow9XRZUhsj7IpwzqCKVYjZUADrBaf7QM=", Convert.ToBase64String(WebhookCrypto.HmacSha256("test-client-secret", message)));
    }

    [Fact]
    public void HubWebhookSignature_SignThenVerify_RoundTripsAndRejectsTampering()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"1\"}");
        var headers = HubWebhookSignature.Headers("s3cret", body, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var request = WebhookRequest.Create("POST", new Uri("https://hub/x"), headers, body);
        var result = HubWebhookSignature.Verify(request, "s3cret");
        Assert.True(result.Valid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), result.SignedAt);
        Assert.False(HubWebhookSignature.Verify(request with { Body = Encoding.UTF8.GetBytes("{\"id\":\"2\"}") }, "s3cret").Valid);
    }

    [Fact]
    public void JiraVerify_ContractVector_IsValidAndTamperingIsRejected()
    {
        var receiver = new JiraServiceManagementWebhookReceiver("jsm", () => "test-jira-secret", new JiraServiceManagementOptions());
        var request = Request("{\"webhookEvent\":\"comment_created\"}",
            ("X-Hub-Signature", "sha256=2652414672bfdf922fa6adb574987e3917a8b8aaaca45568bbfe5c5ddc2d66d7"));
        var result = receiver.Verify(request);
        Assert.True(result.Valid, result.Reason);
        Assert.False(receiver.Verify(request with { Body = Encoding.UTF8.GetBytes("{\"webhookEvent\":\"comment_deleted\"}") }).Valid);
        Assert.False(new JiraServiceManagementWebhookReceiver("jsm", () => "other", new JiraServiceManagementOptions()).Verify(request).Valid);
    }
}
