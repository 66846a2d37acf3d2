using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.JiraServiceManagement.Api;
using IntegrationHub.Connectors.JiraServiceManagement.Mapping;
using IntegrationHub.Connectors.JiraServiceManagement.Webhooks;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.JiraServiceManagement;

/// <summary>
/// Jira Service Management Cloud: customers found by e-mail (platform user search) and created through
/// the JSM customer API; customer requests raised on their behalf, the conversation id stored in a custom
/// field and searched by JQL before create (Jira has no idempotency key); public comments and internal
/// notes; agent-side transitions and priority edits on the platform API; transcript as an internal
/// attachment; admin webhooks signed with <c>X-Hub-Signature</c>.
/// </summary>
internal sealed class JiraServiceManagementConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(JiraServiceManagementConnector).Assembly, "JiraServiceManagement");

    /// <summary>
    /// Atlassian publishes no fixed number (burst limits per tenant and endpoint, token bucket):
    /// 10 requests per second by default, 429 + Retry-After / X-RateLimit-Reset honoured.
    /// https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
    /// </summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 10, Window = TimeSpan.FromSeconds(1), ReadThrottle = RateLimitHeaders.Jira };

    readonly JiraServiceManagementOptions options;
    readonly JiraServiceManagementClient client;
    readonly JiraServiceManagementWebhookReceiver webhooks;
    /// <summary>The integration's own account (GET /myself): comments it wrote are never relayed back.</summary>
    readonly FetchedOnce<string> integrationAccountId;

    public JiraServiceManagementConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<JiraServiceManagementOptions>();
        // Basic email:api_token (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/).
        var auth = new BasicAuthHandler(() => (options.Email, Secret("apiToken")));
        var httpClient = http.Create(Id, new Uri(options.BaseUrl.TrimEnd('/') + "/"), Policy(Defaults), auth, out _);
        client = new JiraServiceManagementClient(new VendorApiClient(Id, httpClient, JiraServiceManagementClient.ReadError));
        webhooks = new JiraServiceManagementWebhookReceiver(Id, () => Secret("webhookSecret"), options);
        integrationAccountId = new(async ct => (await client.MyselfAsync(ct))["accountId"]?.ToString());
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        var me = await client.MyselfAsync(cancellationToken);
        if (me["active"]?.GetValue<bool>() == false)
            throw new ConnectorException(Id, ConnectorErrorKind.PermissionMissing, "the API token's account is deactivated");
        var desk = await client.ServiceDeskAsync(options.ServiceDeskId, cancellationToken);
        return $"authenticated as {me["displayName"]}; service desk {options.ServiceDeskId} ({desk["projectName"]}) reachable";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        // JSM has no phone lookup: customers are Atlassian accounts keyed by e-mail.
        if (contact.Email is not { } email) return null;
        var users = await client.FindUsersAsync(email, cancellationToken);
        // The query also matches display names: only an exact e-mail counts.
        return users.OfType<JsonObject>().FirstOrDefault(u => string.Equals(u["emailAddress"]?.ToString(), email, StringComparison.OrdinalIgnoreCase)) is { } user
            ? Reference(user, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        if (contact.Email is not { } email)
            throw Invalid(contact.Phone is null ? "a contact needs an e-mail or a phone" : "Jira Service Management customers need an e-mail; this contact has only a phone");
        using var _ = await ContactLocks.LockAsync(email, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var created = await client.CreateCustomerAsync(email, contact.Name ?? email, cancellationToken);
        // 409: another hub node created the customer since our lookup.
        var reference = created is not null ? Reference(created, true)
            : await FindContactAsync(contact, cancellationToken) ?? throw new ConnectorException(Id, ConnectorErrorKind.ValidationFailed,
                "Jira reported the customer as existing but user search does not return it (check the account's e-mail visibility)");
        // Portal access, so requests can be raised on the customer's behalf in this service desk.
        await client.AddCustomerAsync(options.ServiceDeskId, reference.ExternalId, cancellationToken);
        return reference;
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        if (await FindTicketAsync(packet.ConversationId, cancellationToken) is { } existing) return existing;
        var request = new JsonObject
        {
            ["serviceDeskId"] = options.ServiceDeskId,
            ["requestTypeId"] = packet.Queue is { } q && options.RequestTypes.TryGetValue(q, out var type) ? type : options.RequestTypeId,
            ["requestFieldValues"] = new JsonObject
            {
                ["summary"] = Truncate(TranscriptFormatter.Subject(packet), 255),
                ["description"] = TranscriptFormatter.Description(packet),
                [options.ConversationFieldId] = packet.ConversationId,
            },
            ["raiseOnBehalfOf"] = requester.ExternalId,
            ["isAdfRequest"] = false,
        };
        var values = (JsonObject)request["requestFieldValues"]!;
        if (options.ConversationUrlFieldId is { Length: > 0 } urlField && packet.ConversationUrl is { } url) values[urlField] = url;
        if (options.IntentFieldId is { Length: > 0 } intentField && packet.Intent is { } intent) values[intentField] = intent;
        if (options.ChannelFieldId is { Length: > 0 } channelField) values[channelField] = packet.Channel;
        var created = await client.CreateRequestAsync(request, cancellationToken);
        var reference = Reference(Str(created["issueId"]), Str(created["issueKey"]));
        // Priority is an agent field, usually not on the customer's request form: set it on the issue.
        await client.EditIssueAsync(reference.ExternalId, new JsonObject
        {
            ["priority"] = new JsonObject { ["name"] = JiraServiceManagementMapping.PriorityName(packet.Priority, options) },
        }, cancellationToken);
        return reference;
    }

    async Task<TicketReference?> FindTicketAsync(string conversationId, CancellationToken ct)
    {
        // Text-field JQL (~) matches words, so the hit is confirmed by the field's exact value.
        var jql = $"{JiraServiceManagementMapping.JqlField(options.ConversationFieldId)} ~ {JiraServiceManagementMapping.JqlString(conversationId)} ORDER BY created ASC";
        var issues = await client.SearchAsync(jql, $"summary,{options.ConversationFieldId}", ct);
        return issues.OfType<JsonObject>().FirstOrDefault(i => i["fields"]?[options.ConversationFieldId]?.ToString() == conversationId) is { } issue
            ? Reference(Str(issue["id"]), Str(issue["key"])) : null;
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        // Sequential, in order: each comment is one POST that is not repeated on failure (no idempotency key).
        foreach (var m in messages.OrderBy(m => m.Sequence))
            await client.AddCommentAsync(ticket.ExternalId, Body(m), m.Visibility == "public", cancellationToken);
    }

    public async Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        if (update.Priority is { } priority)
            await client.EditIssueAsync(ticket.ExternalId, new JsonObject
            {
                ["priority"] = new JsonObject { ["name"] = JiraServiceManagementMapping.PriorityName(priority, options) },
            }, cancellationToken);
        if (update.Status is not { } status) return;
        var target = JiraServiceManagementMapping.StatusName(status, options);
        var issue = await client.GetIssueAsync(ticket.ExternalId, "status", cancellationToken);
        if (string.Equals(issue["fields"]?["status"]?["name"]?.ToString(), target, StringComparison.OrdinalIgnoreCase)) return;
        var transitions = await client.TransitionsAsync(ticket.ExternalId, cancellationToken);
        var transition = transitions.OfType<JsonObject>().FirstOrDefault(t => string.Equals(t["to"]?["name"]?.ToString(), target, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid($"the workflow has no transition from '{issue["fields"]?["status"]?["name"]}' to '{target}' " +
                $"(available: {string.Join(", ", transitions.Select(t => t?["to"]?["name"]?.ToString()))}); map the status in settings.statuses");
        await client.TransitionAsync(ticket.ExternalId, Str(transition["id"]), cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        var temporary = await client.AttachTemporaryFileAsync(options.ServiceDeskId, transcript.FileName, transcript.ContentType, transcript.Content, cancellationToken);
        await client.AttachAsync(ticket.ExternalId, temporary, "Chat transcript attached", cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => webhooks.Verify(request);

    public async Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
        webhooks.Parse(request, await integrationAccountId.GetAsync(cancellationToken));

    static string Body(TranscriptMessage m) => m.Author switch
    {
        "customer" => $"{(m.AuthorName is { } name ? $"Customer ({name})" : "Customer")}: {m.Body}",
        _ => $"[{m.AuthorName ?? m.Author}] {m.Body}",
    };

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    ContactReference Reference(JsonObject user, bool created) =>
        new(Id, Str(user["accountId"]), user["emailAddress"]?.ToString(), null, user["displayName"]?.ToString(), created);

    TicketReference Reference(string issueId, string issueKey) => new(Id, issueId, $"{options.BaseUrl.TrimEnd('/')}/browse/{issueKey}");

    public override void Dispose() => integrationAccountId.Dispose();
}
