using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.HubSpot.Api;
using IntegrationHub.Connectors.HubSpot.Mapping;
using IntegrationHub.Connectors.HubSpot.Webhooks;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.HubSpot;

/// <summary>
/// HubSpot CRM: contacts upserted by e-mail, tickets upserted by a unique conversation-id property
/// (after a search, so a repeat never rewrites a ticket an agent moved), notes for every message
/// (CRM tickets have no public comment), transcript via the Files API.
/// </summary>
internal sealed class HubSpotConnector : VendorConnector, ITicketSink, IContactDirectory, IWebhookReceiver
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(HubSpotConnector).Assembly, "HubSpot");
    /// <summary>Private apps: 100 requests per 10 s burst limit.</summary>
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 100, Window = TimeSpan.FromSeconds(10), ReadThrottle = RateLimitHeaders.HubSpot };
    static readonly string[] ContactProperties = ["email", "firstname", "lastname", "phone", "mobilephone"];

    readonly HubSpotOptions options;
    readonly HubSpotClient client;
    readonly HubSpotWebhookReceiver webhooks;

    public HubSpotConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<HubSpotOptions>();
        var auth = new TokenAuthHandler("Bearer", () => Secret("accessToken"));
        client = new HubSpotClient(new VendorApiClient(Id, http.Create(Id, new Uri(options.BaseUrl.TrimEnd('/') + "/"), Policy(Defaults), auth, out _), HubSpotClient.ReadError));
        webhooks = new HubSpotWebhookReceiver(Id, () => Secret("clientSecret"), client, options);
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        await client.ProbeAsync(cancellationToken);
        return "token accepted; tickets readable";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var (property, value) = contact.Email is { } email ? ("email", email) : contact.Phone is { } phone ? ("phone", phone) : ("", "");
        if (value.Length == 0) return null;
        var found = await client.SearchAsync("contacts", property, value, ContactProperties, cancellationToken);
        return found.OfType<JsonObject>().FirstOrDefault() is { } c ? Reference(c, false) : null;
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var names = (contact.Name ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var properties = new JsonObject();
        if (names.Length > 0) properties["firstname"] = names[0];
        if (names.Length > 1) properties["lastname"] = names[1];
        if (contact.Phone is { } phone) properties["phone"] = phone;
        if (contact.Email is { } email)
        {
            // Upsert by the unique e-mail property: racing nodes converge on one contact.
            properties["email"] = email;
            var upserted = await client.UpsertAsync("contacts", "email", email, properties, cancellationToken);
            return Reference(upserted, upserted["new"]?.GetValue<bool>() ?? true);
        }
        return Reference(await client.CreateAsync("contacts", properties, [], cancellationToken), true);
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        var found = await client.SearchAsync("tickets", options.ConversationProperty, packet.ConversationId, ["subject"], cancellationToken);
        if (found.OfType<JsonObject>().FirstOrDefault() is { } existing) return Reference(existing);
        // The mapped queue is a pipeline (HubSpot routes teams by pipeline); others go to the default one.
        var (pipeline, stages) = packet.Queue is { } q && options.Queues.TryGetValue(q, out var routed) ? (routed.Pipeline, routed.Stages) : (options.Pipeline, options.Stages);
        var properties = new JsonObject
        {
            ["subject"] = TranscriptFormatter.Subject(packet),
            ["content"] = TranscriptFormatter.Description(packet),
            ["hs_pipeline"] = pipeline,
            ["hs_pipeline_stage"] = stages.GetValueOrDefault("open") ?? throw Invalid($"no stage mapped for status 'open' in pipeline '{pipeline}'"),
            ["hs_ticket_priority"] = HubSpotMapping.Priority(packet.Priority),
            ["source_type"] = "CHAT",
        };
        // hs_ticket_category is an enumeration of the portal's options: a raw intent would be refused.
        if (packet.Intent is { } intent && options.Categories.TryGetValue(intent, out var category)) properties["hs_ticket_category"] = category;
        if (options.IntentProperty is { Length: > 0 } intentProperty && packet.Intent is { } rawIntent) properties[intentProperty] = rawIntent;
        if (options.ConversationUrlProperty is { Length: > 0 } urlProperty && packet.ConversationUrl is { } url) properties[urlProperty] = url;
        if (options.ChannelProperty is { Length: > 0 } channelProperty) properties[channelProperty] = packet.Channel;
        var ticket = await client.UpsertAsync("tickets", options.ConversationProperty, packet.ConversationId, properties, cancellationToken);
        await client.AssociateAsync("tickets", Str(ticket["id"]), "contacts", requester.ExternalId, cancellationToken);
        return Reference(ticket);
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count > 0) await client.GetAsync($"crm/v3/objects/tickets/{Uri.EscapeDataString(ticket.ExternalId)}", cancellationToken); // 404 before any note
        foreach (var m in messages.OrderBy(m => m.Sequence))
            await AddNoteAsync(ticket, $"[{(m.Visibility == "public" ? "public" : "internal")}] {m.AuthorName ?? m.Author}: {m.Body}", m.CreatedAt, null, cancellationToken);
    }

    public async Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        var properties = new JsonObject();
        if (update.Status is { } s)
        {
            var (pipeline, stages) = await PipelineOfAsync(ticket, cancellationToken);
            properties["hs_pipeline_stage"] = stages.GetValueOrDefault(s) ?? throw Invalid($"no stage mapped for status '{s}' in pipeline '{pipeline}'");
        }
        if (update.Priority is { } p) properties["hs_ticket_priority"] = HubSpotMapping.Priority(p);
        if (properties.Count > 0) await client.UpdateAsync("tickets", ticket.ExternalId, properties, cancellationToken);
    }

    /// <summary>The ticket's pipeline and its stages: read from the ticket only when queues route to several pipelines (an agent may have moved it).</summary>
    async Task<(string Pipeline, Dictionary<string, string> Stages)> PipelineOfAsync(TicketReference ticket, CancellationToken cancellationToken)
    {
        if (options.Queues.Count == 0) return (options.Pipeline, options.Stages);
        var read = await client.GetAsync($"crm/v3/objects/tickets/{Uri.EscapeDataString(ticket.ExternalId)}?properties=hs_pipeline", cancellationToken);
        var pipeline = read["properties"]?["hs_pipeline"]?.ToString() ?? options.Pipeline;
        if (pipeline == options.Pipeline) return (pipeline, options.Stages);
        return options.Queues.Values.FirstOrDefault(q => q.Pipeline == pipeline) is { } routed ? (pipeline, routed.Stages)
            : throw Invalid($"ticket {ticket.ExternalId} is in pipeline '{pipeline}', which no queue in the settings maps to stages");
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        var fileId = await client.UploadFileAsync(transcript.FileName, transcript.ContentType, transcript.Content, cancellationToken);
        await AddNoteAsync(ticket, "Chat transcript attached", DateTimeOffset.UtcNow, fileId, cancellationToken);
        return true;
    }

    Task AddNoteAsync(TicketReference ticket, string text, DateTimeOffset at, string? fileId, CancellationToken ct)
    {
        var properties = new JsonObject { ["hs_timestamp"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), ["hs_note_body"] = System.Net.WebUtility.HtmlEncode(text) };
        if (fileId is not null) properties["hs_attachment_ids"] = fileId;
        var association = new JsonObject
        {
            ["to"] = new JsonObject { ["id"] = ticket.ExternalId },
            ["types"] = new JsonArray(new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = HubSpotMapping.NoteToTicket }),
        };
        return client.CreateAsync("notes", properties, [association], ct);
    }

    public WebhookVerification Verify(WebhookRequest request) => webhooks.Verify(request);

    public Task<IReadOnlyList<WebhookEvent>> ParseAsync(WebhookRequest request, CancellationToken cancellationToken = default) => webhooks.ParseAsync(request, cancellationToken);

    ContactReference Reference(JsonObject c, bool created)
    {
        var p = c["properties"] as JsonObject ?? [];
        var name = string.Join(' ', new[] { p["firstname"]?.ToString(), p["lastname"]?.ToString() }.Where(n => !string.IsNullOrEmpty(n)));
        return new(Id, Str(c["id"]), p["email"]?.ToString(), p["phone"]?.ToString(), name.Length > 0 ? name : null, created);
    }

    TicketReference Reference(JsonObject t) => new(Id, Str(t["id"]), null);
}
