using System.Text;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Conformance.Vendors;
using IntegrationHub.FakeServers;

namespace IntegrationHub.Connectors.Conformance.OpenApi;

/// <summary>
/// Every request the Jira Service Management connector sends to its fake is checked against Atlassian's Jira
/// Cloud platform OpenAPI document (copied to Specs/atlassian, see Specs/README.md).
/// </summary>
/// <remarks>
/// Only platform requests (<c>/rest/api/3/…</c>) can be validated. The JSM endpoints (<c>/rest/servicedeskapi/…</c>:
/// customers, requests, public/internal comments, temporary attachments) are in Atlassian's separate Service
/// Management spec, which carries no licence and was not copied; the fake checks their shapes instead.
/// <c>GET /rest/api/3/search/jql</c> replaced <c>/rest/api/3/search</c> (removed in 2025, CHANGE-2046) after
/// this copy of the spec was taken (August 2023), so it cannot be validated here either.
/// </remarks>
public sealed class JiraServiceManagementOpenApiTests(JiraPlatformSpecFixture spec) : IClassFixture<JiraPlatformSpecFixture>, IAsyncLifetime
{
    const string NewerThanSpec = "/rest/api/3/search/jql";
    readonly JiraServiceManagementHarness harness = new();

    public Task InitializeAsync() => harness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task EveryPlatformRequest_OfAFullConversation_ConformsToTheJiraPlatformSpec()
    {
        var connector = harness.Connector;
        var packet = VendorHarness.Packet("conv-openapi");
        Assert.True((await connector.CheckAsync()).Ok);
        var contact = await ((IContactDirectory)connector).FindOrCreateContactAsync(packet.Contact);
        var sink = (ITicketSink)connector;
        var ticket = await sink.CreateTicketAsync(packet, contact);
        Assert.Equal(ticket.ExternalId, (await sink.CreateTicketAsync(packet, contact)).ExternalId); // the JQL lookup path
        await sink.AppendMessagesAsync(ticket, [new TranscriptMessage(3, "customer", "public", "still there?", DateTimeOffset.UtcNow), new TranscriptMessage(4, "system", "internal", "VIP", DateTimeOffset.UtcNow)]);
        await sink.UpdateTicketAsync(ticket, new TicketUpdate("pending", "urgent"));
        await sink.UpdateTicketAsync(ticket, new TicketUpdate("solved"));
        await sink.AttachTranscriptAsync(ticket, TranscriptFile.FromMessages("conv-openapi", packet.Transcript));
        var webhook = WebhookRequest.Create("POST", new Uri("https://hub.example.test/webhooks/jira"), [], Encoding.UTF8.GetBytes("{\"webhookEvent\":\"comment_created\"}"));
        await ((IWebhookReceiver)connector).ParseAsync(webhook); // fetches the integration account (myself)

        var requests = harness.Fake.Requests.ToList();
        var platform = requests.Where(r => r.Path.StartsWith("/rest/api/3/", StringComparison.Ordinal) && r.Path != NewerThanSpec).ToList();
        var problems = platform.SelectMany(spec.Validator.Validate).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var covered = platform.Select(r => spec.Validator.Find(r.Method, r.Path)?.Operation?.OperationId).ToHashSet();
        Assert.Superset(new HashSet<string?> { "getCurrentUser", "findUsers", "getIssue", "editIssue", "getTransitions", "doTransition" }, covered);
        // What was not validated is only what the spec cannot describe.
        Assert.All(requests.Except(platform), r => Assert.True(r.Path.StartsWith("/rest/servicedeskapi/", StringComparison.Ordinal) || r.Path == NewerThanSpec, r.Path));
        Assert.Contains(requests, r => r.Path == NewerThanSpec);
        Assert.Null(spec.Validator.Find("GET", NewerThanSpec)?.Operation); // when a newer spec is copied in, validate it too
    }

    static RecordedRequest Request(string method, string pathAndQuery, string? json = null)
    {
        var parts = pathAndQuery.Split('?', 2);
        return new RecordedRequest(method, parts[0], parts.Length > 1 ? "?" + parts[1] : "", new Dictionary<string, string>(),
            json is null ? null : "application/json", json is null ? [] : Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow);
    }

    [Fact]
    public void Validate_ConformingRequests_HaveNoProblems()
    {
        Assert.Empty(spec.Validator.Validate(Request("GET", "/rest/api/3/user/search?query=jane%40example.test&maxResults=10")));
        Assert.Empty(spec.Validator.Validate(Request("POST", "/rest/api/3/issue/HELP-1/transitions", "{\"transition\":{\"id\":\"21\"}}")));
        Assert.Empty(spec.Validator.Validate(Request("PUT", "/rest/api/3/issue/10001", "{\"fields\":{\"priority\":{\"name\":\"High\"}}}")));
    }

    [Theory]
    [InlineData("GET", "/rest/api/3/no/such/resource", null, "no path")]
    [InlineData("DELETE", "/rest/api/3/myself", null, "has no DELETE operation")]
    [InlineData("GET", "/rest/api/3/user/search?query=x&emailAddress=x", null, "'emailAddress' is not declared")]
    [InlineData("POST", "/rest/api/3/issue/HELP-1/transitions", null, "requires a request body")]
    [InlineData("PUT", "/rest/api/3/issue/HELP-1", "{\"fields\":\"priority=High\"}", "body.fields should be")]
    [InlineData("POST", "/rest/api/3/issue/HELP-1/transitions", "{\"transition\":{\"id\":21}}", "body.transition.id should be")]
    [InlineData("GET", "/rest/api/3/myself", "{\"x\":1}", "takes no request body")]
    public void Validate_NonConformingRequest_ReportsTheProblem(string method, string pathAndQuery, string? json, string expected)
    {
        var problems = spec.Validator.Validate(Request(method, pathAndQuery, json));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
