using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.JiraServiceManagement.Api;

/// <summary>
/// Typed client for the Jira Service Management REST API (<c>/rest/servicedeskapi</c>,
/// https://developer.atlassian.com/cloud/jira/service-desk/rest/) and the Jira platform REST API v3
/// (<c>/rest/api/3</c>, https://developer.atlassian.com/cloud/jira/platform/rest/v3/) where JSM has no equivalent.
/// </summary>
internal sealed class JiraServiceManagementClient(VendorApiClient api)
{
    /// <summary>JSM errors: <c>{"errorMessage","i18nErrorMessage"}</c>; platform errors: <c>{"errorMessages":[…],"errors":{field:message}}</c>.</summary>
    public static string? ReadError(JsonNode? json, string text)
    {
        if (json is not JsonObject o) return null;
        var parts = new List<string>();
        if (o["errorMessage"]?.ToString() is { Length: > 0 } single) parts.Add(single);
        if (o["errorMessages"] is JsonArray messages) parts.AddRange(messages.Select(m => m?.ToString()).OfType<string>());
        if (o["errors"] is JsonObject fields) parts.AddRange(fields.Select(f => $"{f.Key}: {f.Value}"));
        return parts.Count > 0 ? string.Join(" - ", parts) : null;
    }

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
    public Task<JsonNode> MyselfAsync(CancellationToken ct) => api.GetAsync("rest/api/3/myself", ct);

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-get
    public Task<JsonNode> ServiceDeskAsync(string serviceDeskId, CancellationToken ct) =>
        api.GetAsync($"rest/servicedeskapi/servicedesk/{Uri.EscapeDataString(serviceDeskId)}", ct);

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-search-get
    // Matches display name and e-mail; JSM customers are accounts too.
    public async Task<JsonArray> FindUsersAsync(string query, CancellationToken ct) =>
        await api.GetAsync($"rest/api/3/user/search?query={Uri.EscapeDataString(query)}&maxResults=10", ct) as JsonArray ?? [];

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-customer/#api-rest-servicedeskapi-customer-post
    // strictConflictStatusCode=true: an existing customer answers 409 (another node won the race) instead of 400.
    public async Task<JsonObject?> CreateCustomerAsync(string email, string displayName, CancellationToken ct)
    {
        var response = await api.SendAsync(HttpMethod.Post, "rest/servicedeskapi/customer?strictConflictStatusCode=true",
            new JsonObject { ["email"] = email, ["displayName"] = displayName }, cancellationToken: ct, accept: [HttpStatusCode.Conflict]);
        return response.Status == HttpStatusCode.Conflict ? null : response.Json as JsonObject;
    }

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-customer-post
    public async Task AddCustomerAsync(string serviceDeskId, string accountId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"rest/servicedeskapi/servicedesk/{Uri.EscapeDataString(serviceDeskId)}/customer")
        {
            Content = VendorApiClient.Json(new JsonObject { ["accountIds"] = new JsonArray(accountId) }),
        };
        request.MarkIdempotent(); // adding an account that is already a customer changes nothing
        await api.SendAsync(request, ct);
    }

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get
    // (replaces GET /rest/api/3/search, removed in 2025: https://developer.atlassian.com/changelog/#CHANGE-2046)
    public async Task<JsonArray> SearchAsync(string jql, string fields, CancellationToken ct) =>
        (await api.GetAsync($"rest/api/3/search/jql?jql={Uri.EscapeDataString(jql)}&fields={Uri.EscapeDataString(fields)}&maxResults=10", ct))["issues"] as JsonArray ?? [];

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-post
    public async Task<JsonObject> CreateRequestAsync(JsonObject request, CancellationToken ct) =>
        (JsonObject)(await api.SendAsync(HttpMethod.Post, "rest/servicedeskapi/request", request, cancellationToken: ct)).Json!;

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
    public async Task<JsonObject> GetIssueAsync(string issue, string fields, CancellationToken ct) =>
        (JsonObject)await api.GetAsync($"rest/api/3/issue/{Uri.EscapeDataString(issue)}?fields={Uri.EscapeDataString(fields)}", ct);

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
    public Task EditIssueAsync(string issue, JsonObject fields, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Put, $"rest/api/3/issue/{Uri.EscapeDataString(issue)}", new JsonObject { ["fields"] = fields }, cancellationToken: ct);

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
    // public:false is an internal note; JSM has the public/internal switch the platform comment API lacks.
    public Task AddCommentAsync(string issue, string body, bool isPublic, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"rest/servicedeskapi/request/{Uri.EscapeDataString(issue)}/comment",
            new JsonObject { ["body"] = body, ["public"] = isPublic }, cancellationToken: ct);

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
    public async Task<JsonArray> TransitionsAsync(string issue, CancellationToken ct) =>
        (await api.GetAsync($"rest/api/3/issue/{Uri.EscapeDataString(issue)}/transitions", ct))["transitions"] as JsonArray ?? [];

    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
    // Agent-side transitions (the JSM /transition endpoint only offers the customer's).
    public Task TransitionAsync(string issue, string transitionId, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"rest/api/3/issue/{Uri.EscapeDataString(issue)}/transitions",
            new JsonObject { ["transition"] = new JsonObject { ["id"] = transitionId } }, cancellationToken: ct);

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-attachtemporaryfile-post
    // multipart/form-data, part "file"; X-Atlassian-Token: no-check bypasses XSRF checks.
    public async Task<string> AttachTemporaryFileAsync(string serviceDeskId, string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var file = new ByteArrayContent(content.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"rest/servicedeskapi/servicedesk/{Uri.EscapeDataString(serviceDeskId)}/attachTemporaryFile") { Content = form };
        request.Headers.Add("X-Atlassian-Token", "no-check");
        request.Headers.Add("X-ExperimentalApi", "opt-in");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await api.SendAsync(request, ct);
        return response.Json?["temporaryAttachments"]?[0]?["temporaryAttachmentId"]?.ToString()
            ?? throw new InvalidDataException("attachTemporaryFile answered without a temporaryAttachmentId");
    }

    // https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-attachment-post
    public Task AttachAsync(string issue, string temporaryAttachmentId, string comment, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"rest/servicedeskapi/request/{Uri.EscapeDataString(issue)}/attachment", new JsonObject
        {
            ["temporaryAttachmentIds"] = new JsonArray(temporaryAttachmentId),
            ["public"] = false,
            ["additionalComment"] = new JsonObject { ["body"] = comment },
        }, cancellationToken: ct);
}
