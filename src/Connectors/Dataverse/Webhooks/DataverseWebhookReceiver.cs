using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Dataverse.Mapping;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.Dataverse.Webhooks;

/// <summary>
/// Dataverse WebHook steps (https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks) POST the
/// serialized <c>RemoteExecutionContext</c>; there is no signature, only a static key (HttpHeader auth, or WebhookKey
/// as <c>?code=</c>) compared in constant time. Create of <c>email</c> (outgoing, regarding a case) is the agent's
/// customer-visible reply; Create of <c>annotation</c> is an internal note; Update of <c>incident</c> with a state
/// change is a status change. Rows created by the connector's own application user are skipped.
/// </summary>
internal sealed partial class DataverseWebhookReceiver(string connectorId, Func<string> key, DataverseOptions options)
{
    public WebhookVerification Verify(WebhookRequest request)
    {
        var sent = request.Header(options.WebhookHeaderName) ?? QueryCode(request.Url);
        if (sent is null) return WebhookVerification.Failure($"missing {options.WebhookHeaderName} header or code query parameter");
        return WebhookCrypto.EqualsConstantTime(key(), sent) ? WebhookVerification.Success() : WebhookVerification.Failure("webhook key mismatch");
    }

    static string? QueryCode(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[0] == "code").Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();

    /// <param name="applicationUserId">The connector's own user (WhoAmI): rows it created are echoes.</param>
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request, string? applicationUserId)
    {
        JsonObject context;
        try { context = JsonNode.Parse(request.Body.Span) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException x) { throw new ConnectorException(connectorId, ConnectorErrorKind.ValidationFailed, $"malformed Dataverse RemoteExecutionContext: {x.Message}"); }
        var message = context["MessageName"]?.ToString();
        var entity = context["PrimaryEntityName"]?.ToString();
        var id = context["RequestId"]?.ToString() is { Length: > 0 } requestId && requestId != Guid.Empty.ToString() ? requestId
            : request.Header("x-request-id") ?? context["OperationId"]?.ToString() ?? context["CorrelationId"]?.ToString() ?? "";
        var at = Date(context["OperationCreatedOn"]?.ToString()) ?? DateTimeOffset.UtcNow;
        var target = Pairs(context["InputParameters"]).GetValueOrDefault("Target") as JsonObject;
        var attributes = Pairs(target?["Attributes"]);
        var initiator = context["InitiatingUserId"]?.ToString() ?? context["UserId"]?.ToString();
        var own = applicationUserId is not null && string.Equals(initiator, applicationUserId, StringComparison.OrdinalIgnoreCase);
        switch ((message, entity))
        {
            case ("Create", "annotation") when !own && Reference(attributes.GetValueOrDefault("objectid")) is ("incident", var incident):
                return [new(WebhookEventKind.InternalNote, id, at, incident, Body: attributes.GetValueOrDefault("notetext")?.ToString(), AuthorName: AuthorName(context))];
            case ("Create" or "Send", "email") when !own && Reference(attributes.GetValueOrDefault("regardingobjectid")) is ("incident", var incident)
                && attributes.GetValueOrDefault("directioncode")?.GetValueKind() != JsonValueKind.False:
                return [new(WebhookEventKind.AgentPublicReply, id, at, incident, Body: StripHtml(attributes.GetValueOrDefault("description")?.ToString() ?? attributes.GetValueOrDefault("subject")?.ToString()), AuthorName: AuthorName(context))];
            case ("Update", "incident"):
                var post = Pairs(Pairs(context["PostEntityImages"]).Values.OfType<JsonObject>().FirstOrDefault()?["Attributes"]);
                var state = Option(attributes.GetValueOrDefault("statecode")) ?? Option(post.GetValueOrDefault("statecode"));
                if (state is null) return [];
                var reason = Option(attributes.GetValueOrDefault("statuscode")) ?? Option(post.GetValueOrDefault("statuscode"));
                var incidentId = target?["Id"]?.ToString() ?? context["PrimaryEntityId"]?.ToString() ?? "";
                var conversation = attributes.GetValueOrDefault(options.ConversationKey)?.ToString() ?? post.GetValueOrDefault(options.ConversationKey)?.ToString();
                return [new(WebhookEventKind.StatusChanged, id, at, incidentId, conversation, Status: DataverseMapping.HubStatus(state.Value, reason, options))];
            default:
                return [];
        }
    }

    /// <summary>DataContract JSON writes dictionaries as <c>[{"key":…,"value":…}]</c>.</summary>
    static Dictionary<string, JsonNode?> Pairs(JsonNode? node)
    {
        var map = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (node as JsonArray ?? []).OfType<JsonObject>())
            if (pair["key"]?.ToString() is { } k) map[k] = pair["value"];
        return map;
    }

    static (string? LogicalName, string Id) Reference(JsonNode? node) =>
        node is JsonObject r ? (r["LogicalName"]?.ToString(), r["Id"]?.ToString() ?? "") : (null, "");

    /// <summary>OptionSetValue (<c>{"Value":5}</c>) or a plain number.</summary>
    static int? Option(JsonNode? node) => node switch
    {
        JsonObject o when o["Value"] is JsonValue v && v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => null,
    };

    static string? AuthorName(JsonObject context) =>
        Pairs(Pairs(context["PostEntityImages"]).Values.OfType<JsonObject>().FirstOrDefault()?["FormattedValues"]) is { } f && f.TryGetValue("createdby", out var name) ? name?.ToString() : null;

    /// <summary>WCF dates: <c>/Date(1534360237000)/</c>.</summary>
    static DateTimeOffset? Date(string? text) =>
        text is not null && WcfDate().Match(text) is { Success: true } m && long.TryParse(m.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    static string? StripHtml(string? html) => html is null ? null : System.Net.WebUtility.HtmlDecode(Tags().Replace(html, " ")).Trim();

    [GeneratedRegex(@"/Date\((-?\d+)")]
    private static partial Regex WcfDate();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
