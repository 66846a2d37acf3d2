using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;
using IntegrationHub.Connectors.RequestTracker.Api;
using IntegrationHub.Connectors.RequestTracker.Mapping;
using IntegrationHub.Connectors.Support;

namespace IntegrationHub.Connectors.RequestTracker;

/// <summary>
/// Request Tracker 5 over REST2: users found by JSON search and created when missing, tickets keyed by a
/// ticket custom field holding the conversation id (TicketSQL lookup before create: RT has no
/// idempotency key), correspondence for public messages, comments for internal notes, the transcript as a
/// base64 attachment on a comment. RT 5 has no webhooks, so no webhook receiver: the hub polls each
/// ticket's transactions instead (<see cref="ITicketHistorySource"/>).
/// </summary>
internal sealed class RequestTrackerConnector : VendorConnector, ITicketSink, IContactDirectory, ITicketHistorySource
{
    public static ConnectorManifest ManifestResource { get; } = ConnectorManifest.FromResource(typeof(RequestTrackerConnector).Assembly, "RequestTracker");
    static readonly VendorHttpPolicy Defaults = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    readonly RequestTrackerOptions options;
    readonly RequestTrackerClient client;
    string? hubUser;

    public RequestTrackerConnector(ConnectorConfig config, ConnectorHttpFactory http) : base(config)
    {
        options = config.Bind<RequestTrackerOptions>();
        DelegatingHandler auth = options.Username is { Length: > 0 } user
            ? new BasicAuthHandler(() => (user, Secret("password")))
            : new TokenAuthHandler("token", () => Secret("authToken"));
        client = new RequestTrackerClient(new VendorApiClient(Id, http.Create(Id, new Uri(options.BaseUrl.TrimEnd('/') + "/"), Policy(Defaults), auth, out _), RequestTrackerClient.ReadError));
    }

    public override Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default) => ProbeAsync(async () =>
    {
        var rt = await client.SystemAsync(cancellationToken);
        var queue = await client.GetAsync($"queue/{Uri.EscapeDataString(options.Queue)}", cancellationToken);
        return $"RT {rt["Version"]}; queue {queue["Name"] ?? options.Queue} reachable";
    });

    public async Task<ContactReference?> FindContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var (field, value) = contact.Email is { } email ? ("EmailAddress", email) : contact.Phone is { } phone ? ("MobilePhone", phone) : ("", "");
        if (value.Length == 0) return null;
        var items = await client.SearchUsersAsync(field, value, cancellationToken);
        if (items.OfType<JsonObject>().OrderBy(i => long.TryParse(Str(i["id"]), out var n) ? n : long.MaxValue).FirstOrDefault() is not { } item) return null;
        var user = await client.GetAsync($"user/{Str(item["id"])}", cancellationToken);
        return new ContactReference(Id, Str(user["id"]), user["EmailAddress"]?.ToString(), user["MobilePhone"]?.ToString(), user["RealName"]?.ToString());
    }

    public async Task<ContactReference> FindOrCreateContactAsync(ContactInfo contact, CancellationToken cancellationToken = default)
    {
        var key = contact.Email ?? contact.Phone ?? throw Invalid("a contact needs an e-mail or a phone");
        using var _ = await ContactLocks.LockAsync(key, cancellationToken);
        if (await FindContactAsync(contact, cancellationToken) is { } found) return found;
        var user = new JsonObject { ["Name"] = key, ["RealName"] = contact.Name ?? key, ["Privileged"] = 0 };
        if (contact.Email is { } email) user["EmailAddress"] = email;
        if (contact.Phone is { } phone) user["MobilePhone"] = phone;
        JsonObject created;
        try
        {
            created = await client.CreateAsync("user", user, cancellationToken);
        }
        catch (ConnectorException e) when (e.Kind == ConnectorErrorKind.ValidationFailed)
        {
            // "Name in use": another hub node created this person between our lookup and insert. Use theirs.
            if (await FindContactAsync(contact, cancellationToken) is { } winner) return winner;
            throw;
        }
        // RT answers with the user's name as "id"; read the record for the numeric id that searches return.
        var stored = await client.GetAsync($"user/{Uri.EscapeDataString(Str(created["id"]))}", cancellationToken);
        return new ContactReference(Id, Str(stored["id"]), contact.Email, contact.Phone, contact.Name, Created: true);
    }

    public async Task<TicketReference> CreateTicketAsync(HandoffPacket packet, ContactReference requester, CancellationToken cancellationToken = default)
    {
        using var _ = await TicketLocks.LockAsync(packet.ConversationId, cancellationToken);
        var sql = $"CF.{{{options.ConversationCustomField}}} = '{packet.ConversationId.Replace("'", "\\'", StringComparison.Ordinal)}'";
        var existing = await client.SearchTicketsAsync(sql, cancellationToken);
        if (existing.OfType<JsonObject>().OrderBy(t => long.TryParse(Str(t["id"]), out var n) ? n : 0).FirstOrDefault() is { } found) return Reference(Str(found["id"]));
        var ticket = new JsonObject
        {
            ["Queue"] = packet.Queue is { } q && options.Queues.TryGetValue(q, out var mapped) ? mapped : options.Queue,
            ["Subject"] = TranscriptFormatter.Subject(packet),
            ["Requestor"] = requester.Email ?? requester.ExternalId,
            ["Content"] = TranscriptFormatter.Description(packet),
            ["ContentType"] = "text/plain",
            ["Priority"] = RequestTrackerMapping.Priority(packet.Priority),
            ["CustomFields"] = new JsonObject { [options.ConversationCustomField] = packet.ConversationId },
        };
        var fields = (JsonObject)ticket["CustomFields"]!;
        if (options.ConversationUrlCustomField is { Length: > 0 } urlField && packet.ConversationUrl is { } url) fields[urlField] = url;
        if (options.IntentCustomField is { Length: > 0 } intentField && packet.Intent is { } intent) fields[intentField] = intent;
        if (options.ChannelCustomField is { Length: > 0 } channelField) fields[channelField] = packet.Channel;
        return Reference(Str((await client.CreateAsync("ticket", ticket, cancellationToken))["id"]));
    }

    public async Task AppendMessagesAsync(TicketReference ticket, IReadOnlyList<TranscriptMessage> messages, CancellationToken cancellationToken = default)
    {
        foreach (var m in messages.OrderBy(m => m.Sequence))
        {
            var text = m.Author == "customer" ? m.Body : $"[{m.AuthorName ?? m.Author}] {m.Body}";
            await client.AddTransactionAsync(ticket.ExternalId, m.Visibility == "public" ? "correspond" : "comment",
                new JsonObject { ["Content"] = text, ["ContentType"] = "text/plain" }, cancellationToken);
        }
    }

    public Task UpdateTicketAsync(TicketReference ticket, TicketUpdate update, CancellationToken cancellationToken = default)
    {
        var changes = new JsonObject();
        if (update.Status is { } s) changes["Status"] = RequestTrackerMapping.Status(s);
        if (update.Priority is { } p) changes["Priority"] = RequestTrackerMapping.Priority(p);
        return changes.Count == 0 ? Task.CompletedTask : client.UpdateTicketAsync(ticket.ExternalId, changes, cancellationToken);
    }

    public async Task<bool> AttachTranscriptAsync(TicketReference ticket, TranscriptFile transcript, CancellationToken cancellationToken = default)
    {
        await client.AddTransactionAsync(ticket.ExternalId, "comment", new JsonObject
        {
            ["Content"] = "Chat transcript attached",
            ["ContentType"] = "text/plain",
            ["Attachments"] = new JsonArray(new JsonObject
            {
                ["FileName"] = transcript.FileName,
                ["FileType"] = transcript.ContentType,
                ["FileContent"] = Convert.ToBase64String(transcript.Content.Span),
            }),
        }, cancellationToken);
        return true;
    }

    public async Task<TicketHistoryPage> ReadHistoryAsync(TicketReference ticket, string? cursor, CancellationToken cancellationToken = default)
    {
        // Both go into TransactionSQL: only digits may.
        if (!long.TryParse(ticket.ExternalId, NumberStyles.None, CultureInfo.InvariantCulture, out var ticketId))
            throw Invalid($"'{ticket.ExternalId}' is not an RT ticket id");
        var after = 0L;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            throw Invalid($"history cursor '{cursor}' is not an RT transaction id");

        var hub = await HubUserAsync(ticket.ExternalId, cancellationToken);
        var page = await client.TicketTransactionsAsync(ticketId, after, RequestTrackerHistoryMapping.Types, Math.Clamp(options.HistoryPageSize, 1, 100), cancellationToken);
        var events = new List<WebhookEvent>();
        var last = after;
        foreach (var transaction in (page["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = long.Parse(Str(transaction["id"]), CultureInfo.InvariantCulture);
            last = Math.Max(last, id);
            // The customer's messages the hub appended (and its own status changes) must not come back as the agent's.
            if (string.Equals(RequestTrackerHistoryMapping.CreatorName(transaction), hub, StringComparison.OrdinalIgnoreCase)) continue;
            var body = transaction["Type"]?.ToString() is "Correspond" or "Comment"
                ? RequestTrackerHistoryMapping.MessageText(await client.TransactionPartsAsync(id, cancellationToken))
                : null;
            if (RequestTrackerHistoryMapping.ToEvent(transaction, ticket.ExternalId, body) is { } e) events.Add(e);
        }
        return new TicketHistoryPage(events, last > after ? last.ToString(CultureInfo.InvariantCulture) : cursor, page["next_page"] is not null);
    }

    /// <summary>
    /// The RT user the hub writes as: the <c>hubUser</c> setting, else the Basic auth user, else (a token
    /// names no user in REST2, which has no "who am I") the creator of the hub's tickets, which the hub creates.
    /// </summary>
    async Task<string> HubUserAsync(string ticketId, CancellationToken cancellationToken)
    {
        if (options.HubUser is { Length: > 0 } configured) return configured;
        if (options.Username is { Length: > 0 } user) return user;
        if (hubUser is { } known) return known;
        var ticket = await client.GetAsync($"ticket/{Uri.EscapeDataString(ticketId)}", cancellationToken);
        return hubUser = RequestTrackerHistoryMapping.CreatorName(ticket)
            ?? throw Invalid($"ticket {ticketId} shows no creator, so the hub's own transactions cannot be told apart; set hubUser");
    }

    TicketReference Reference(string id) => new(Id, id, $"{options.BaseUrl.TrimEnd('/')}/Ticket/Display.html?id={id}");
}
