using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.ServiceNow.Api;
using IntegrationHub.Connectors.ServiceNow.Mapping;
using IntegrationHub.Connectors.ServiceNow.Webhooks;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.ServiceNow;

/// <summary>
/// ServiceNow incidents: callers in sys_user, the conversation id in <c>correlation_id</c> (queried
/// before create: the Table API has no idempotency key), <c>comments</c> (customer-visible) and
/// <c>work_notes</c> (internal), attachments, and Business-Rule callbacks signed with the hub signature.
/// </summary>
internal sealed class ServiceNowConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(ServiceNowConnector).Assembly, "ServiceNow");
    /// <summary>No global limit: admins define per-hour rules. Default pacing 3600/hour, burst-friendly.</summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 3600, Window = TimeSpan.FromHours(1), ReadThrottle = RateLimitHeaders.ServiceNow };
    const string UserFields = "sys_id,name,email,phone,mobile_phone";

    readonly ServiceNowOptions options;
    readonly ServiceNowClient client;

    public ServiceNowConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<ServiceNowOptions>();
        var auth = new BasicAuthHandler(() => (options.Username, Secret("password")));
        client = new ServiceNowClient(new VendorApiClient(Id, http.Create(Id, new Uri(options.BaseUrl.TrimEnd('/') + "/"), Policy(Defaults), auth, out _), ServiceNowClient.ReadError));
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        await client.QueryAsync("incident", "active=true", "sys_id", cancellationToken);
        return $"authenticated as {options.Username}; incidents readable";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var query = contact.Email is { } email ? $"email={email}" : contact.Phone is { } phone ? $"phone={phone}^ORmobile_phone={phone}" : null;
        if (query is null) return null;
        return (await client.QueryAsync("sys_user", query, UserFields, cancellationToken)).OfType<JsonObject>().FirstOrDefault() is { } u ? Reference(u, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var names = (contact.Name ?? key).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var user = new JsonObject { ["user_name"] = key, ["first_name"] = names[0], ["last_name"] = names.Length > 1 ? names[1] : "" };
        if (contact.Email is { } email) user["email"] = email;
        if (contact.Phone is { } phone) user["phone"] = phone;
        try
        {
            return Reference(await client.CreateAsync("sys_user", user, cancellationToken), true);
        }
        catch (ConnectorException e) when (e.Kind is ConnectorErrorKind.ValidationFailed or ConnectorErrorKind.PermissionMissing)
        {
            // user_name is unique: another hub node created this person between our lookup and insert. Use theirs.
            if (await FindContactAsync(contact, cancellationToken) is { } winner) return winner;
            throw;
        }
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        var existing = await client.QueryAsync("incident", $"correlation_id={packet.ConversationId}", "sys_id,number", cancellationToken);
        if (existing.OfType<JsonObject>().FirstOrDefault() is { } found) return Reference(found);
        var (urgency, impact) = ServiceNowMapping.Priority(packet.Priority);
        var incident = new JsonObject
        {
            ["short_description"] = TranscriptFormatter.Subject(packet),
            ["description"] = TranscriptFormatter.Description(packet),
            ["caller_id"] = requester.ExternalId,
            ["contact_type"] = "chat",
            ["urgency"] = urgency,
            ["impact"] = impact,
            ["correlation_id"] = packet.ConversationId,
            ["correlation_display"] = "IntegrationHub",
        };
        if (packet.Intent is { } intent) incident["category"] = intent;
        if (options.ConversationUrlField is { Length: > 0 } urlField && packet.ConversationUrl is { } url) incident[urlField] = url;
        if (options.ChannelField is { Length: > 0 } channelField) incident[channelField] = packet.Channel;
        if (packet.Queue is { } q && options.AssignmentGroups.TryGetValue(q, out var group)) incident["assignment_group"] = group;
        return Reference(await client.CreateAsync("incident", incident, cancellationToken));
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        foreach (var m in messages.OrderBy(m => m.Sequence))
        {
            var text = m.Author == "customer" ? m.Body : $"[{m.AuthorName ?? m.Author}] {m.Body}";
            await client.PatchAsync("incident", ticket.ExternalId, new JsonObject { [m.Visibility == "public" ? "comments" : "work_notes"] = text }, cancellationToken);
        }
    }

    public Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        var changes = new JsonObject();
        if (update.Status is { } s)
        {
            changes["state"] = ServiceNowMapping.State(s);
            if (s == "pending") changes["hold_reason"] = "1"; // Awaiting Caller
            if (s is "solved" or "closed") { changes["close_code"] = "Solved (Permanently)"; changes["close_notes"] = "Resolved via chat"; }
        }
        if (update.Priority is { } p) { var (u, i) = ServiceNowMapping.Priority(p); changes["urgency"] = u; changes["impact"] = i; }
        return changes.Count == 0 ? Task.CompletedTask : client.PatchAsync("incident", ticket.ExternalId, changes, cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        await client.AttachAsync("incident", ticket.ExternalId, transcript.FileName, transcript.ContentType, transcript.Content, cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => HubWebhookSignature.Verify(request, Secret("webhookSecret"));

    public Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ServiceNowWebhookParser.Parse(Id, options.Username, request.Body));

    ContactReference Reference(JsonObject u, bool created) => new(Id, Str(u["sys_id"]), u["email"]?.ToString(), u["phone"]?.ToString(), u["name"]?.ToString(), created);

    TicketReference Reference(JsonObject i) => new(Id, Str(i["sys_id"]), $"{options.BaseUrl.TrimEnd('/')}/nav_to.do?uri=incident.do?sys_id={Str(i["sys_id"])}");
}
