using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;
using IntegrationHub.Connectors.Zendesk.Api;
using IntegrationHub.Connectors.Zendesk.Mapping;
using IntegrationHub.Connectors.Zendesk.Webhooks;

namespace IntegrationHub.Connectors.Zendesk;

/// <summary>
/// Zendesk Support: users as contacts (upsert by e-mail), tickets (external_id = conversation id,
/// created with an <c>Idempotency-Key</c> after a lookup), comments public/internal, uploads, and
/// signed event-subscription webhooks.
/// </summary>
internal sealed class ZendeskConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(ZendeskConnector).Assembly, "Zendesk");

    /// <summary>Professional plan: 400 requests per minute (Team 200, Enterprise 700); override with rateLimitRequests.</summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 400, Window = TimeSpan.FromMinutes(1), ReadThrottle = RateLimitHeaders.Zendesk };

    readonly ZendeskOptions options;
    readonly ZendeskClient client;
    readonly ZendeskWebhookReceiver webhooks;
    string? selfId;

    public ZendeskConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<ZendeskOptions>();
        var auth = new BasicAuthHandler(() => ($"{options.Email}/token", Secret("apiToken")));
        var httpClient = http.Create(Id, new Uri(options.BaseUrl.TrimEnd('/') + "/"), Policy(Defaults), auth, out _);
        client = new ZendeskClient(new VendorApiClient(Id, httpClient, ZendeskClient.ReadError));
        webhooks = new ZendeskWebhookReceiver(Id, () => Secret("webhookSigningSecret"));
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        var me = (await client.MeAsync(cancellationToken))["user"];
        var role = me?["role"]?.ToString();
        if (role is not ("agent" or "admin"))
            throw new ConnectorException(Id, ConnectorErrorKind.PermissionMissing, $"the API user has role '{role ?? "anonymous"}'; an agent or admin is needed");
        return $"authenticated as {me?["email"]} ({role})";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var query = contact.Email is { } email ? $"email:{email}" : contact.Phone is { } phone ? $"phone:{phone}" : null;
        if (query is null) return null;
        var users = await client.SearchUsersAsync(query, cancellationToken);
        return users.OfType<JsonObject>().OrderBy(u => (long?)u["id"]).FirstOrDefault() is { } user ? Reference(user, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var user = new JsonObject { ["name"] = contact.Name ?? key, ["role"] = "end-user", ["skip_verify_email"] = true };
        if (contact.Email is { } email) user["email"] = email;
        else user["external_id"] = $"phone:{contact.Phone}"; // upsert key for phone-only people, so racing nodes converge
        if (contact.Phone is { } phone) user["phone"] = phone;
        var (created, isNew) = await client.CreateOrUpdateUserAsync(user, cancellationToken);
        return Reference(created, isNew);
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        // external_id is not unique in Zendesk: a lookup first, then the Idempotency-Key covers a create that timed out after commit.
        var existing = await client.TicketsByExternalIdAsync(packet.ConversationId, cancellationToken);
        if (existing.OfType<JsonObject>().OrderBy(t => (long?)t["id"]).FirstOrDefault() is { } ticket) return Reference(ticket);
        if (!long.TryParse(requester.ExternalId, out var requesterId)) throw Invalid($"requester id '{requester.ExternalId}' is not a Zendesk user id");
        var created = await client.CreateTicketAsync(ZendeskMapping.Ticket(packet, requesterId, options), $"ihub-{packet.ConversationId}", cancellationToken);
        return Reference(created);
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return;
        var requesterId = (await client.GetTicketAsync(ticket.ExternalId, cancellationToken))["requester_id"]?.DeepClone();
        foreach (var message in messages.OrderBy(m => m.Sequence))
        {
            var comment = new JsonObject { ["body"] = Body(message), ["public"] = message.Visibility == "public" };
            // Customer messages are authored by the requester, which is also how the webhook parser recognises (and skips) our echoes.
            if (message.Author == "customer" && requesterId is not null) comment["author_id"] = requesterId.DeepClone();
            await client.UpdateTicketAsync(ticket.ExternalId, new JsonObject { ["comment"] = comment }, cancellationToken);
        }
    }

    public Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (update.Status is { } status) body["status"] = ZendeskMapping.Status(status);
        if (update.Priority is { } priority) body["priority"] = ZendeskMapping.Priority(priority);
        return body.Count == 0 ? Task.CompletedTask : client.UpdateTicketAsync(ticket.ExternalId, body, cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        var token = await client.UploadAsync(transcript.FileName, transcript.ContentType, transcript.Content, cancellationToken);
        await client.UpdateTicketAsync(ticket.ExternalId, new JsonObject
        {
            ["comment"] = new JsonObject { ["body"] = "Chat transcript attached", ["public"] = false, ["uploads"] = new JsonArray(token) },
        }, cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => webhooks.Verify(request);

    public async Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default)
    {
        var events = webhooks.Parse(request, selfId);
        // Notes the hub wrote (CSAT, AI drafts) are authored by the API user: learn its id once, then skip them.
        if (selfId is null && events.Any(e => e.Kind == WebhookEventKind.InternalNote) && await SelfIdAsync(cancellationToken) is { } self)
            events = webhooks.Parse(request, self);
        return events;
    }

    /// <summary>The API user's id; null while Zendesk cannot say (a note then comes back as a note: internal, never worse).</summary>
    async Task<string?> SelfIdAsync(CancellationToken cancellationToken)
    {
        try { selfId ??= Str((await client.MeAsync(cancellationToken))["user"]?["id"]); }
        catch (ConnectorException) { }
        return selfId;
    }

    static string Body(TranscriptMessage message) =>
        message.Author == "customer" ? message.Body : $"[{message.AuthorName ?? message.Author}] {message.Body}";

    ContactReference Reference(JsonObject user, bool created) =>
        new(Id, Str(user["id"]), user["email"]?.ToString(), user["phone"]?.ToString(), user["name"]?.ToString(), created);

    TicketReference Reference(JsonObject ticket) =>
        new(Id, Str(ticket["id"]), $"{options.BaseUrl.TrimEnd('/')}/agent/tickets/{Str(ticket["id"])}");
}
