using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace IntegrationHub.Connectors.Http;

/// <summary>A vendor response read in full: status, headers and the body as text and (when JSON) parsed.</summary>
internal sealed record VendorResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, string Text, JsonNode? Json)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || (ContentHeaders?.TryGetValues(name, out values) ?? false) ? values!.FirstOrDefault() : null;
}
