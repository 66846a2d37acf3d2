using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Dataverse.Api;
using IntegrationHub.Connectors.Dataverse.Mapping;
using IntegrationHub.Connectors.Dataverse.Webhooks;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.Dataverse;

/// <summary>
/// Dynamics 365 Customer Service on the Dataverse Web API: Entra ID client credentials; contacts found by
/// e-mail/phone and created by a create-only upsert on an alternate key; cases (<c>incident</c>) created the same
/// way on a conversation-id alternate key, so a lost response never duplicates; every message as an
/// <c>annotation</c> (Dataverse has no public comment on a case); state changes by PATCH and <c>CloseIncident</c>;
/// transcript as a note attachment; WebHook steps authenticated by a static key.
/// </summary>
internal sealed class DataverseConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(DataverseConnector).Assembly, "Dataverse");

    /// <summary>
    /// Service protection: 6,000 requests per user per 5-minute sliding window; 429 + Retry-After beyond.
    /// https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
    /// </summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 6000, Window = TimeSpan.FromMinutes(5), ReadThrottle = RateLimitHeaders.Standard };
    const string ContactSelect = "contactid,fullname,emailaddress1,telephone1,mobilephone";
    const string IncidentSelect = "incidentid,ticketnumber,title";

    readonly DataverseOptions options;
    readonly DataverseClient client;
    readonly DataverseWebhookReceiver webhooks;
    /// <summary>The application user's id (WhoAmI): notes it created are the hub's own.</summary>
    readonly FetchedOnce<string> applicationUserId;

    public DataverseConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<DataverseOptions>();
        var environment = options.EnvironmentUrl.TrimEnd('/');
        // Client credentials against Entra ID, scope = the environment's /.default:
        // https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth
        var token = new Uri($"{options.Authority.TrimEnd('/')}/{Uri.EscapeDataString(options.TenantId)}/oauth2/v2.0/token");
        var auth = new OAuthClientCredentialsHandler(Id, token, options.ClientId, () => Secret("clientSecret"), $"{environment}/.default", http.CreateTokenClient(), http.Time);
        var httpClient = http.Create(Id, new Uri($"{environment}/api/data/v9.2/"), Policy(Defaults), auth, out _);
        client = new DataverseClient(new VendorApiClient(Id, httpClient, DataverseClient.ReadError));
        webhooks = new DataverseWebhookReceiver(Id, () => Secret("webhookKey"), options);
        applicationUserId = new(async ct => (await client.WhoAmIAsync(ct))["UserId"]?.ToString());
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        var me = await client.WhoAmIAsync(cancellationToken);
        // WhoAmI proves the token and the application user; reading cases proves its security role.
        await client.QueryAsync("incidents", "incidentid", "statecode eq 0", cancellationToken);
        return $"authenticated as application user {me["UserId"]}; cases readable";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var filter = contact.Email is { } email ? $"emailaddress1 eq {DataverseMapping.Literal(email)}"
            : contact.Phone is { } phone ? $"telephone1 eq {DataverseMapping.Literal(phone)} or mobilephone eq {DataverseMapping.Literal(phone)}" : null;
        if (filter is null) return null;
        var rows = await client.QueryAsync("contacts", ContactSelect, filter, cancellationToken);
        return rows.OfType<JsonObject>().FirstOrDefault() is { } row ? Reference(row, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var names = (contact.Name ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var row = new JsonObject { ["lastname"] = names.Length > 1 ? names[1] : names.Length == 1 ? names[0] : key };
        if (names.Length > 1) row["firstname"] = names[0];
        if (contact.Email is { } email) row["emailaddress1"] = email;
        if (contact.Phone is { } phone) row["telephone1"] = phone;
        var normalized = key.ToLowerInvariant();
        // Create-only on the contact-key alternate key: another node's contact (412) is read back, never duplicated.
        if (await client.CreateByKeyAsync("contacts", options.ContactKey, normalized, row, ContactSelect, cancellationToken) is { } created)
            return Reference(created, true);
        var existing = await client.FindAsync(DataverseMapping.KeySegment("contacts", options.ContactKey, normalized), ContactSelect, cancellationToken)
            ?? throw new ConnectorException(Id, ConnectorErrorKind.Unavailable, "the contact key was reported as taken but the row cannot be read");
        return Reference(existing, false);
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        var segment = DataverseMapping.KeySegment("incidents", options.ConversationKey, packet.ConversationId);
        if (await client.FindAsync(segment, IncidentSelect, cancellationToken) is { } existing) return Reference(existing);
        var row = new JsonObject
        {
            ["title"] = Truncate(TranscriptFormatter.Subject(packet), 200),
            ["description"] = TranscriptFormatter.Description(packet),
            // customerid is polymorphic (account | contact): the _contact suffix picks the contact side.
            ["customerid_contact@odata.bind"] = $"/contacts({requester.ExternalId})",
            ["caseorigincode"] = options.CaseOriginCode,
            ["prioritycode"] = DataverseMapping.Priority(packet.Priority, options),
        };
        if (packet.Queue is { } q && options.OwningTeams.TryGetValue(q, out var team)) row["ownerid@odata.bind"] = $"/teams({team})";
        if (options.IntentField is { Length: > 0 } intentField && packet.Intent is { } intent) row[intentField] = intent;
        if (options.ConversationUrlField is { Length: > 0 } urlField && packet.ConversationUrl is { } url) row[urlField] = url;
        if (options.ChannelField is { Length: > 0 } channelField) row[channelField] = packet.Channel;
        // If-None-Match: * makes the create repeatable: a retry after a lost response gets 412 and reads the case.
        var created = await client.CreateByKeyAsync("incidents", options.ConversationKey, packet.ConversationId, row, IncidentSelect, cancellationToken)
            ?? await client.FindAsync(segment, IncidentSelect, cancellationToken)
            ?? throw new ConnectorException(Id, ConnectorErrorKind.Unavailable, "the case key was reported as taken but the case cannot be read");
        return Reference(created);
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return;
        await client.GetRowAsync(Incident(ticket), "incidentid", cancellationToken); // NotFound before any note
        foreach (var m in messages.OrderBy(m => m.Sequence))
            // https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/annotation
            await client.CreateAsync("annotations", new JsonObject
            {
                ["subject"] = m.Visibility == "public" ? $"Chat message from {Who(m)}" : $"Internal note from {Who(m)}",
                ["notetext"] = $"[{m.Visibility}] {Who(m)}: {m.Body}",
                ["objectid_incident@odata.bind"] = $"/incidents({ticket.ExternalId})",
            }, cancellationToken);
    }

    public async Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        if (update.Status is null && update.Priority is null) return;
        var current = await client.GetRowAsync(Incident(ticket), "statecode,statuscode", cancellationToken);
        var state = current["statecode"]?.GetValue<int>() ?? DataverseMapping.Active;
        var changes = new JsonObject();
        if (update.Priority is { } p) changes["prioritycode"] = DataverseMapping.Priority(p, options);
        switch (update.Status)
        {
            case "open" or "pending":
                // Resolved cases reopen by setting the active state again.
                changes["statecode"] = DataverseMapping.Active;
                changes["statuscode"] = update.Status == "pending" ? options.PendingStatusCode : options.OpenStatusCode;
                break;
            case "solved" or "closed" when state != DataverseMapping.Active:
                changes = []; // already resolved or cancelled, and closed cases are read-only
                break;
            case "solved" or "closed":
                if (changes.Count > 0) await client.UpdateAsync(Incident(ticket), changes, cancellationToken); // closed cases are read-only
                changes = [];
                await client.CloseIncidentAsync(ticket.ExternalId, "Resolved through the chat hub", options.ResolvedStatusCode, cancellationToken);
                break;
            case { } other:
                throw Invalid($"unknown hub status '{other}'");
        }
        if (changes.Count > 0) await client.UpdateAsync(Incident(ticket), changes, cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        // A note with a document: isdocument, filename, mimetype, documentbody (base64).
        await client.CreateAsync("annotations", new JsonObject
        {
            ["subject"] = "Chat transcript",
            ["notetext"] = "Chat transcript attached",
            ["isdocument"] = true,
            ["filename"] = transcript.FileName,
            ["mimetype"] = transcript.ContentType,
            ["documentbody"] = Convert.ToBase64String(transcript.Content.Span),
            ["objectid_incident@odata.bind"] = $"/incidents({ticket.ExternalId})",
        }, cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => webhooks.Verify(request);

    public async Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
        webhooks.Parse(request, await applicationUserId.GetAsync(cancellationToken));

    static string Incident(TicketReference ticket) =>
        Guid.TryParse(ticket.ExternalId, out var id) ? $"incidents({id})" : $"incidents({Uri.EscapeDataString(ticket.ExternalId)})";

    static string Who(TranscriptMessage m) => m.Author switch
    {
        "customer" => m.AuthorName is { } name ? $"Customer ({name})" : "Customer",
        _ => m.AuthorName ?? m.Author,
    };

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    ContactReference Reference(JsonObject row, bool created) =>
        new(Id, Str(row["contactid"]), row["emailaddress1"]?.ToString(), row["telephone1"]?.ToString() ?? row["mobilephone"]?.ToString(), row["fullname"]?.ToString(), created);

    TicketReference Reference(JsonObject row) =>
        new(Id, Str(row["incidentid"]), $"{options.EnvironmentUrl.TrimEnd('/')}/main.aspx?pagetype=entityrecord&etn=incident&id={Str(row["incidentid"])}");

    public override void Dispose() => applicationUserId.Dispose();
}
