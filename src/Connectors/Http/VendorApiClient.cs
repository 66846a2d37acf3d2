using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Http;

/// <summary>
/// The JSON plumbing every vendor's typed client shares: sends through the instance's resilient
/// <see cref="HttpClient"/> and maps non-success responses to <see cref="ConnectorException"/>s with
/// the vendor's own message (extracted by <c>readError</c>).
/// </summary>
internal sealed class VendorApiClient(string connectorId, HttpClient http, Func<JsonNode?, string, string?> readError) : IDisposable
{
    public string ConnectorId => connectorId;
    public HttpClient Http => http;

    public static HttpContent Json(JsonNode body) => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Sends a JSON request and returns the parsed response; throws for any non-2xx status not in <paramref name="accept"/>.</summary>
    public async Task<VendorResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, Action<HttpRequestMessage>? configure = null,
        CancellationToken cancellationToken = default, params HttpStatusCode[] accept)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = Json(body);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        configure?.Invoke(request);
        return await SendAsync(request, cancellationToken, accept).ConfigureAwait(false);
    }

    public async Task<VendorResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, params HttpStatusCode[] accept)
    {
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonNode? json = null;
        if (text.Length > 0 && text.TrimStart() is ['{' or '[', ..])
            try { json = JsonNode.Parse(text); } catch (JsonException) { }
        var result = new VendorResponse(response.StatusCode, response.Headers, response.Content.Headers, text, json);
        if (result.IsSuccess || accept.Contains(response.StatusCode)) return result;
        throw ToException(result, response);
    }

    public async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false)).Json ?? new JsonObject();

    ConnectorException ToException(VendorResponse result, HttpResponseMessage response)
    {
        var vendorMessage = readError(result.Json, result.Text);
        if (string.IsNullOrWhiteSpace(vendorMessage))
            vendorMessage = result.Text.Length is > 0 and < 300 && result.Json is null ? result.Text.Trim() : null;
        var status = (int)result.Status;
        var kind = result.Status switch
        {
            HttpStatusCode.Unauthorized => ConnectorErrorKind.AuthenticationFailed,
            HttpStatusCode.Forbidden => ConnectorErrorKind.PermissionMissing,
            HttpStatusCode.NotFound => ConnectorErrorKind.NotFound,
            HttpStatusCode.TooManyRequests => ConnectorErrorKind.RateLimited,
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.PreconditionFailed
                or HttpStatusCode.MultipleChoices => ConnectorErrorKind.ValidationFailed,
            _ when status >= 500 || result.Status == HttpStatusCode.RequestTimeout => ConnectorErrorKind.Unavailable,
            _ => ConnectorErrorKind.ValidationFailed,
        };
        if (kind == ConnectorErrorKind.PermissionMissing && vendorMessage?.Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal) == true)
            kind = ConnectorErrorKind.RateLimited;
        var detail = kind switch
        {
            ConnectorErrorKind.AuthenticationFailed => "the vendor rejected the credentials; check the API token/secret",
            ConnectorErrorKind.PermissionMissing => "the credentials lack a permission for this call",
            ConnectorErrorKind.NotFound => "the record does not exist",
            ConnectorErrorKind.RateLimited => "the vendor's rate limit was reached",
            ConnectorErrorKind.Unavailable => "the vendor failed to process the request",
            _ => "the vendor refused the data",
        };
        detail = $"{detail} ({response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} -> HTTP {status})";
        if (!string.IsNullOrWhiteSpace(vendorMessage)) detail += $": {vendorMessage}";
        // The vendor's own signal as the pipeline read it (HubSpot's interval, ServiceNow's reset, Salesforce's allocation), else Retry-After.
        var retryAfter = (kind == ConnectorErrorKind.RateLimited ? response.RequestMessage?.ThrottleWait() : null) ?? RateLimitHeaders.RetryAfter(response, DateTimeOffset.UtcNow);
        return new ConnectorException(connectorId, kind, detail, status, retryAfter);
    }

    public void Dispose() => http.Dispose();
}
