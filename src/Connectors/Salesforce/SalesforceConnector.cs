using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Salesforce.Api;
using IntegrationHub.Connectors.Salesforce.Mapping;
using IntegrationHub.Connectors.Salesforce.Webhooks;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.Salesforce;

/// <summary>
/// Salesforce Service Cloud: OAuth 2.0 client credentials; contacts found by SOQL and created by upsert on
/// a unique contact-key External ID (racing nodes converge); cases upserted by the conversation id External ID
/// (a lookup first, so a repeat never rewrites a case an agent changed); CaseComments public
/// (<c>IsPublished</c>) or internal; transcript as a ContentVersion; Apex callouts signed with the hub signature.
/// </summary>
internal sealed class SalesforceConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(SalesforceConnector).Assembly, "Salesforce");

    /// <summary>
    /// The org's allocation is per rolling 24 h (and 25 concurrent long-running requests), not per second:
    /// pace at 25 per second and let <c>Sforce-Limit-Info</c> / 403 REQUEST_LIMIT_EXCEEDED pause the instance.
    /// https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
    /// </summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 25, Window = TimeSpan.FromSeconds(1), ReadThrottle = RateLimitHeaders.Salesforce };
    const string ContactFields = "Id, FirstName, LastName, Name, Email, Phone";

    readonly SalesforceOptions options;
    readonly SalesforceClient client;

    public SalesforceConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<SalesforceOptions>();
        var instance = options.InstanceUrl.TrimEnd('/');
        // Client credentials flow: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
        var auth = new OAuthClientCredentialsHandler(Id, new Uri($"{instance}/services/oauth2/token"), options.ClientId, () => Secret("clientSecret"),
            scope: null, http.CreateTokenClient(), http.Time);
        var httpClient = http.Create(Id, new Uri(instance + "/"), Policy(Defaults), auth, out _);
        client = new SalesforceClient(new VendorApiClient(Id, httpClient, SalesforceClient.ReadError), options.ApiVersion);
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        var (_, limits) = await client.QueryAsync("SELECT Id FROM Case LIMIT 1", cancellationToken);
        return $"token accepted; cases readable{(limits is null ? "" : $" ({limits})")}";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var where = contact.Email is { } email ? $"Email = {SalesforceMapping.Soql(email)}"
            : contact.Phone is { } phone ? $"Phone = {SalesforceMapping.Soql(phone)} OR MobilePhone = {SalesforceMapping.Soql(phone)}" : null;
        if (where is null) return null;
        var (records, _) = await client.QueryAsync($"SELECT {ContactFields} FROM Contact WHERE {where} ORDER BY CreatedDate ASC LIMIT 1", cancellationToken);
        return records.OfType<JsonObject>().FirstOrDefault() is { } c ? Reference(c, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var names = (contact.Name ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var body = new JsonObject
        {
            // LastName is required on Contact.
            ["LastName"] = names.Length > 1 ? names[1] : names.Length == 1 ? names[0] : key,
        };
        if (names.Length > 1) body["FirstName"] = names[0];
        if (contact.Email is { } email) body["Email"] = email;
        if (contact.Phone is { } phone) body["Phone"] = phone;
        // Upsert on the unique key field: two hub nodes creating the same person converge on one Contact.
        var (id, created) = await client.UpsertAsync("Contact", options.ContactKeyField, key.ToLowerInvariant(), body, cancellationToken);
        return new ContactReference(Id, id, contact.Email, contact.Phone, contact.Name, created);
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        // Look up first: the upsert would otherwise overwrite fields an agent already changed.
        if (await client.GetByExternalIdAsync("Case", options.CaseExternalIdField, packet.ConversationId, "Id", cancellationToken) is { } existing)
            return Reference(Str(existing["Id"]));
        var description = TranscriptFormatter.Description(packet);
        var body = new JsonObject
        {
            ["Subject"] = Truncate(TranscriptFormatter.Subject(packet), 255),
            ["Description"] = Truncate(description, SalesforceMapping.DescriptionChars),
            ["ContactId"] = requester.ExternalId,
            ["Origin"] = options.Origin,
            ["Status"] = SalesforceMapping.Status("new", options),
            ["Priority"] = SalesforceMapping.Priority(packet.Priority, options),
        };
        if (packet.Queue is { } q && options.Queues.TryGetValue(q, out var owner)) body["OwnerId"] = owner;
        if (options.IntentField is { Length: > 0 } intentField && packet.Intent is { } intent) body[intentField] = intent;
        if (options.ConversationUrlField is { Length: > 0 } urlField && packet.ConversationUrl is { } url) body[urlField] = url;
        // The upsert by External ID is the idempotency: a retry after a lost response updates the same case.
        var (id, _) = await client.UpsertAsync("Case", options.CaseExternalIdField, packet.ConversationId, body, cancellationToken);
        return Reference(id);
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return;
        // A CaseComment on a missing case fails as INVALID_CROSS_REFERENCE_KEY (400): read the case first so "not found" says so.
        await client.GetAsync("Case", ticket.ExternalId, "Id", cancellationToken);
        foreach (var m in messages.OrderBy(m => m.Sequence))
            foreach (var chunk in SalesforceMapping.Chunks(Body(m), SalesforceMapping.CommentBodyBytes))
                // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casecomment.htm
                await client.CreateAsync("CaseComment", new JsonObject
                {
                    ["ParentId"] = ticket.ExternalId,
                    ["CommentBody"] = chunk,
                    ["IsPublished"] = m.Visibility == "public",
                }, cancellationToken);
    }

    public Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (update.Status is { } s) body["Status"] = SalesforceMapping.Status(s, options);
        if (update.Priority is { } p) body["Priority"] = SalesforceMapping.Priority(p, options);
        return body.Count == 0 ? Task.CompletedTask : client.UpdateAsync("Case", ticket.ExternalId, body, cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_insert_update_blob.htm
        // FirstPublishLocationId links the new file to the case.
        await client.CreateAsync("ContentVersion", new JsonObject
        {
            ["Title"] = Path.GetFileNameWithoutExtension(transcript.FileName),
            ["PathOnClient"] = transcript.FileName,
            ["VersionData"] = Convert.ToBase64String(transcript.Content.Span),
            ["FirstPublishLocationId"] = ticket.ExternalId,
        }, cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => HubWebhookSignature.Verify(request, Secret("webhookSecret"));

    public Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(SalesforceWebhookParser.Parse(Id, options, request.Body));

    static string Body(TranscriptMessage m) => m.Author switch
    {
        "customer" => $"{(m.AuthorName is { } name ? $"Customer ({name})" : "Customer")}: {m.Body}",
        _ => $"[{m.AuthorName ?? m.Author}] {m.Body}",
    };

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    ContactReference Reference(JsonObject c, bool created) =>
        new(Id, Str(c["Id"]), c["Email"]?.ToString(), c["Phone"]?.ToString(), c["Name"]?.ToString(), created);

    TicketReference Reference(string caseId) => new(Id, caseId, $"{options.InstanceUrl.TrimEnd('/')}/lightning/r/Case/{caseId}/view");
}
