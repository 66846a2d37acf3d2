using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Freshdesk.Api;
using IntegrationHub.Connectors.Freshdesk.Mapping;
using IntegrationHub.Connectors.Freshdesk.Webhooks;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.Freshdesk;

/// <summary>
/// Freshdesk v2: contacts by e-mail/phone (409-tolerant create), tickets keyed by a custom field holding
/// the conversation id (searched before create, since Freshdesk has no idempotency key), customer
/// messages as incoming public notes, hub notes as private notes, transcript as a note attachment.
/// </summary>
internal sealed class FreshdeskConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(FreshdeskConnector).Assembly, "Freshdesk");
    /// <summary>Growth plan: 200 requests per minute (Pro 400, Enterprise 700).</summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 200, Window = TimeSpan.FromMinutes(1), ReadThrottle = RateLimitHeaders.Freshdesk };

    readonly FreshdeskOptions options;
    readonly FreshdeskClient client;
    readonly FreshdeskWebhookReceiver webhooks;

    public FreshdeskConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<FreshdeskOptions>();
        var auth = new BasicAuthHandler(() => (Secret("apiKey"), "X"));
        client = new FreshdeskClient(new VendorApiClient(Id, http.Create(Id, new Uri(options.BaseUrl.TrimEnd('/') + "/"), Policy(Defaults), auth, out _), FreshdeskClient.ReadError));
        webhooks = new FreshdeskWebhookReceiver(Id, () => Secret("webhookToken"));
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        var me = await client.MeAsync(cancellationToken);
        return $"authenticated as agent {me["contact"]?["email"] ?? me["id"]}";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var found = contact.Email is { } email ? await client.ContactsAsync("email", email, cancellationToken)
            : contact.Phone is { } phone ? await client.ContactsAsync("phone", phone, cancellationToken) : [];
        return found.OfType<JsonObject>().FirstOrDefault() is { } c ? Reference(c, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var body = new JsonObject { ["name"] = contact.Name ?? key };
        if (contact.Email is { } email) body["email"] = email;
        if (contact.Phone is { } phone) body["phone"] = phone;
        // 409 duplicate_value: another node created the person between our lookup and create.
        return await client.CreateContactAsync(body, cancellationToken) is { } created ? Reference(created, true)
            : await FindContactAsync(contact, cancellationToken) ?? throw Invalid("contact reported as duplicate but not found");
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        var existing = await client.SearchTicketsAsync($"{options.ConversationField}:'{packet.ConversationId.Replace("'", "", StringComparison.Ordinal)}'", cancellationToken);
        if (existing.OfType<JsonObject>().OrderBy(t => (long?)t["id"]).FirstOrDefault() is { } found) return Reference(found);
        var tags = new JsonArray(options.Tags.Select(t => (JsonNode?)t).ToArray());
        if (packet.Intent is { } intent) tags.Add($"intent:{intent}");
        tags.Add($"channel:{packet.Channel}");
        var ticket = new JsonObject
        {
            ["subject"] = TranscriptFormatter.Subject(packet),
            ["description"] = TranscriptFormatter.DescriptionHtml(packet),
            ["requester_id"] = long.TryParse(requester.ExternalId, out var rid) ? rid : throw Invalid($"requester id '{requester.ExternalId}' is not a Freshdesk contact id"),
            ["status"] = 2,
            ["priority"] = FreshdeskMapping.Priority(packet.Priority),
            ["source"] = FreshdeskMapping.ChatSource,
            ["tags"] = tags,
            ["custom_fields"] = new JsonObject { [options.ConversationField] = packet.ConversationId },
        };
        if (packet.Queue is { } q && options.Groups.TryGetValue(q, out var group)) ticket["group_id"] = group;
        var fields = (JsonObject)ticket["custom_fields"]!;
        if (options.ConversationUrlField is { Length: > 0 } urlField && packet.ConversationUrl is { } url) fields[urlField] = url;
        if (options.IntentField is { Length: > 0 } intentField && packet.Intent is { } i) fields[intentField] = i;
        if (options.ChannelField is { Length: > 0 } channelField) fields[channelField] = packet.Channel;
        return Reference(await client.CreateTicketAsync(ticket, cancellationToken));
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return;
        var requester = (await client.GetTicketAsync(ticket.ExternalId, cancellationToken))["requester_id"];
        foreach (var m in messages.OrderBy(m => m.Sequence))
        {
            var isPublic = m.Visibility == "public";
            var note = new JsonObject { ["body"] = System.Net.WebUtility.HtmlEncode(m.Author == "customer" ? m.Body : $"[{m.AuthorName ?? m.Author}] {m.Body}"), ["private"] = !isPublic };
            // A customer's message is an incoming public note from the requester, not an agent reply.
            if (m.Author == "customer") { note["incoming"] = true; if (requester is not null) note["user_id"] = requester.DeepClone(); }
            await client.AddNoteAsync(ticket.ExternalId, note, cancellationToken);
        }
    }

    public Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        var changes = new JsonObject();
        if (update.Status is { } s) changes["status"] = FreshdeskMapping.Status(s);
        if (update.Priority is { } p) changes["priority"] = FreshdeskMapping.Priority(p);
        return changes.Count == 0 ? Task.CompletedTask : client.UpdateTicketAsync(ticket.ExternalId, changes, cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        await client.AddNoteWithFileAsync(ticket.ExternalId, "Chat transcript attached", transcript.FileName, transcript.ContentType, transcript.Content, cancellationToken);
        return true;
    }

    public WebhookVerification Verify(WebhookRequest request) => webhooks.Verify(request);

    public Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) => Task.FromResult(webhooks.Parse(request));

    ContactReference Reference(JsonObject c, bool created) => new(Id, Str(c["id"]), c["email"]?.ToString(), c["phone"]?.ToString(), c["name"]?.ToString(), created);

    TicketReference Reference(JsonObject t) => new(Id, Str(t["id"]), $"{options.BaseUrl.TrimEnd('/')}/a/tickets/{Str(t["id"])}");
}
