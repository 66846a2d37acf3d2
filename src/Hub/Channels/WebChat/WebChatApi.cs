using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Realtime;
using IntegrationHub.Webhooks.Signing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>The web chat channel's HTTP API under <c>/api/webchat</c>: sessions, conversations, messages, live events.</summary>
public static class WebChatApi
{
    public const string Channel = "webchat";
    const int MaxTextLength = 4000;
    static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapWebChatApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webchat").WithTags("Web chat");
        api.MapPost("/sessions", StartSessionAsync);

        var visitor = api.MapGroup("/").AddEndpointFilter(RequireVisitorAsync);
        visitor.MapPost("/conversations", StartConversationAsync);
        visitor.MapGet("/conversations/{id}", GetConversationAsync);
        visitor.MapGet("/conversations/{id}/messages", GetMessagesAsync);
        visitor.MapPost("/conversations/{id}/messages", PostMessageAsync);
        visitor.MapPost("/conversations/{id}/typing", TypingAsync);
        visitor.MapPost("/conversations/{id}/read", ReadAsync);
        visitor.MapPost("/conversations/{id}/attachments", UploadAsync);
        visitor.MapPost("/conversations/{id}/contact", LeaveContactAsync);
        visitor.MapPost("/conversations/{id}/csat", AnswerSurveyAsync);
        visitor.MapGet("/conversations/{id}/events", Events);
        visitor.MapGet("/attachments/{attachmentId}", DownloadAsync);
        return app;
    }

    static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> StartSessionAsync(
        StartSessionRequest request, HttpContext http, WebChatSites sites, VisitorTokens tokens, ConversationService conversations,
        Configuration.ConnectorsConfigurationMonitor connectors, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.SiteId)) return Problem(400, "siteId is required");
        if (sites.Find(request.SiteId) is not { } site) return Problem(404, $"web chat site '{request.SiteId}' does not exist or is disabled");
        if (CheckOrigin(http, site) is { } originProblem) return originProblem;

        var previous = request.VisitorToken is null ? null : (await tokens.ValidateAsync(request.VisitorToken, allowExpired: true)).Token;
        var visitorId = previous is not null && previous.SiteId == site.Id ? previous.VisitorId : SqlId("vis");

        var identity = IdentityStatus.Anonymous;
        ContactKey key = new($"visitor:{site.Id}", visitorId);
        IReadOnlyList<string>? segments = null;
        if (request.User is { } user && (user.ExternalId ?? user.Email) is { Length: > 0 } subject)
        {
            var secret = site.IdentitySecret();
            if (user.Segments is { Count: > 0 } && user.UserHash is null)
                return Problem(400, "segments are only accepted with a userHash that covers them");
            if (user.UserHash is not null)
            {
                if (secret is null) return Problem(400, $"site '{site.Id}' has no identitySecret configured, so userHash cannot be checked");
                // Segments decide routing and priority, so the host page signs them with the identity.
                segments = user.Segments?.Select(x => x.Trim().ToLowerInvariant()).Where(x => x.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
                var signed = segments is { Count: > 0 } ? $"{subject}|{string.Join(",", segments)}" : subject;
                if (!HmacSignature.VerifySha256Hex(secret, signed, user.UserHash))
                    return Problem(401, "userHash does not match: it must be the hex HMAC-SHA256 of the externalId (or email, when there is no externalId), followed by \"|\" and the sorted, comma-separated segments when segments are sent, keyed with the site's identity secret");
                identity = IdentityStatus.Verified;
                // A verified user is the same contact on every device.
                key = user.ExternalId is { Length: > 0 } externalId ? new($"user:{site.Id}", externalId) : new("email", user.Email!.Trim().ToLowerInvariant());
            }
            else if (site.Settings.RequireVerifiedIdentity)
                return Problem(401, $"site '{site.Id}' requires identified visitors to send a userHash");
            else
                identity = IdentityStatus.Identified;
        }
        else if (site.Settings.RequireVerifiedIdentity)
            return Problem(401, $"site '{site.Id}' requires a verified user (externalId or email with userHash)");
        if (previous is not null && previous.SiteId == site.Id && previous.Identity > identity && key.Kind.StartsWith("visitor:")) identity = previous.Identity;

        var details = new ContactDetails(request.User?.Name, request.User?.Email, IdentityStatus: identity, Segments: segments);
        var contact = await conversations.Store.FindOrCreateContactAsync(connectors.Current.Workspace, key, details, http.RequestAborted);
        if (identity != IdentityStatus.Anonymous) contact = await conversations.Store.UpdateContactAsync(contact.Id, details, http.RequestAborted);

        var now = time.GetUtcNow();
        var token = new VisitorToken(contact.Id, visitorId, site.Id, identity, now, now.AddMinutes(site.Settings.TokenLifetimeMinutes));
        var open = (await conversations.Store.ListConversationsAsync(contact.Id, 5, http.RequestAborted)).FirstOrDefault(c => c.Mode != ConversationMode.Closed && c.Channel == Channel);
        var availability = Availability.From(connectors);
        var settings = site.Settings;
        return TypedResults.Ok(new SessionResponse(
            await tokens.IssueAsync(token), visitorId, token.ExpiresAt, identity.ToText(),
            new SiteInfo(site.Id, settings.Title, settings.Greeting, settings.OfflineMessage, settings.Attachments.MaxBytes, settings.Attachments.AllowedTypes),
            new AvailabilityInfo(availability.BotEnabled, availability.HumansAvailable, availability.Offline),
            open is null ? null : ConversationResponse.From(open, CaptureContact(open, availability))));
    }

    static async Task<Created<ConversationResponse>> StartConversationAsync(HttpContext http, ConversationService conversations, Configuration.ConnectorsConfigurationMonitor connectors)
    {
        var visitor = Visitor(http);
        var contact = (await conversations.Store.GetContactAsync(visitor.ContactId, http.RequestAborted))!;
        var conversation = await conversations.StartAsync(contact, Channel, visitor.SiteId, http.RequestAborted);
        return TypedResults.Created($"/api/webchat/conversations/{conversation.Id}",
            ConversationResponse.From(conversation, CaptureContact(conversation, Availability.From(connectors))));
    }

    static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> GetConversationAsync(string id, HttpContext http, ConversationService conversations, Configuration.ConnectorsConfigurationMonitor connectors)
    {
        if (await OwnedAsync(http, conversations, id) is not { } conversation) return NotFound(id);
        return TypedResults.Ok(ConversationResponse.From(conversation, CaptureContact(conversation, Availability.From(connectors))));
    }

    static async Task<Results<Ok<MessagesResponse>, ProblemHttpResult>> GetMessagesAsync(string id, long? after, HttpContext http, ConversationService conversations)
    {
        if (await OwnedAsync(http, conversations, id) is not { } conversation) return NotFound(id);
        var messages = await conversations.Store.GetMessagesAsync(id, Math.Max(0, after ?? 0), 500, http.RequestAborted);
        return TypedResults.Ok(new MessagesResponse(messages.Where(IsPublic).Select(MessageResponse.From).ToList(), conversation.LastSequence));
    }

    static async Task<Results<Created<PostMessageResponse>, Ok<PostMessageResponse>, ProblemHttpResult>> PostMessageAsync(
        string id, PostMessageRequest request, HttpContext http, ConversationService conversations)
    {
        // The hot path: ownership from the cache; "closed" is decided under the append's lock.
        if (!await IsOwnerAsync(http, conversations, id)) return NotFound(id);
        var text = request.Text?.Trim() ?? "";
        var attachmentIds = request.AttachmentIds ?? [];
        if (text.Length == 0 && attachmentIds.Count == 0) return Problem(400, "text is required (or attach a file)");
        if (text.Length > MaxTextLength) return Problem(400, $"text is {text.Length} characters; the limit is {MaxTextLength}");
        if (request.ClientMessageId is { Length: > 100 }) return Problem(400, "clientMessageId must be at most 100 characters");
        if (attachmentIds.Count > 10) return Problem(400, "at most 10 attachments per message");

        var attachments = new List<Connectors.Abstractions.AttachmentInfo>();
        foreach (var attachmentId in attachmentIds)
        {
            var stored = await conversations.Store.GetAttachmentAsync(attachmentId, http.RequestAborted);
            if (stored is null || stored.Value.Attachment.ConversationId != id)
                return Problem(400, $"attachment '{attachmentId}' was not uploaded to this conversation");
            attachments.Add(stored.Value.Attachment.Info with { Url = AttachmentUrl(attachmentId) });
        }
        AppendResult result;
        try
        {
            result = await conversations.ReceiveFromCustomerAsync(id, text, request.ClientMessageId, attachments, http.RequestAborted);
        }
        catch (ConversationClosedException)
        {
            return Problem(409, "this conversation is closed; start a new one");
        }
        var response = new PostMessageResponse(MessageResponse.From(result.Message), result.Duplicate);
        return result.Duplicate
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/webchat/conversations/{id}/messages?after={result.Message.Sequence - 1}", response);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> TypingAsync(string id, TypingRequest request, HttpContext http, ConversationService conversations)
    {
        if (!await IsOwnerAsync(http, conversations, id)) return NotFound(id);
        conversations.Typing(id, MessageAuthor.Customer, request.Typing);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> ReadAsync(string id, ReadRequest request, HttpContext http, ConversationService conversations)
    {
        if (!await IsOwnerAsync(http, conversations, id)) return NotFound(id);
        if (request.Sequence < 0) return Problem(400, "sequence must not be negative");
        await conversations.MarkReadAsync(id, byCustomer: true, request.Sequence, http.RequestAborted);
        return TypedResults.NoContent();
    }

    static async Task<Results<Created<Connectors.Abstractions.AttachmentInfo>, ProblemHttpResult>> UploadAsync(
        string id, HttpContext http, ConversationService conversations, WebChatSites sites)
    {
        if (!await IsOwnerAsync(http, conversations, id)) return NotFound(id);
        var limits = sites.Find(Visitor(http).SiteId)?.Settings.Attachments ?? new AttachmentSettings();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limits.MaxBytes + 64 * 1024;
        if (!http.Request.HasFormContentType) return Problem(415, "upload the file as multipart/form-data in a field named 'file'");
        if (http.Request.ContentLength > limits.MaxBytes + 64 * 1024) return TooLarge(limits.MaxBytes);

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form.Files.GetFile("file") is not { } file) return Problem(400, "no file in the 'file' field");
        if (file.Length == 0) return Problem(400, "the file is empty");
        if (file.Length > limits.MaxBytes) return TooLarge(limits.MaxBytes);
        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(content, http.RequestAborted);
        var actual = AttachmentSniffer.Detect(content);
        if (actual is null || !limits.AllowedTypes.Contains(actual))
            return Problem(415, $"'{file.FileName}' is not an allowed file type (allowed: {string.Join(", ", limits.AllowedTypes)})");
        var name = Path.GetFileName(file.FileName);
        var stored = await conversations.Store.SaveAttachmentAsync(id, string.IsNullOrWhiteSpace(name) ? "file" : name, actual, content, http.RequestAborted);
        var info = stored.Info with { Url = AttachmentUrl(stored.Info.Id) };
        return TypedResults.Created(info.Url, info);
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(string attachmentId, HttpContext http, ConversationService conversations)
    {
        var stored = await conversations.Store.GetAttachmentAsync(attachmentId, http.RequestAborted);
        if (stored is not { } found || !await IsOwnerAsync(http, conversations, found.Attachment.ConversationId))
            return Problem(404, $"attachment '{attachmentId}' not found");
        // Served as a download with a fixed type, so an uploaded file can never run as a page of the hub.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(found.Content, found.Attachment.Info.ContentType, found.Attachment.Info.FileName);
    }

    /// <summary>The answer to the satisfaction survey the hub posted after the close: once per conversation.</summary>
    static async Task<Results<Ok<CsatAnswerResponse>, ProblemHttpResult>> AnswerSurveyAsync(
        string id, CsatAnswerRequest request, HttpContext http, ConversationService conversations, Csat.CsatService csat, Csat.CsatScheduler scheduler, TimeProvider time)
    {
        if (await OwnedAsync(http, conversations, id) is null) return NotFound(id);
        if (request.Rating is not (>= 1 and <= 5)) return Problem(400, "rating must be a whole number from 1 to 5");
        if (request.Comment is { Length: > MaxTextLength }) return Problem(400, $"comment is longer than {MaxTextLength} characters");
        switch (await csat.AnswerAsync(id, request.Rating.Value, request.Comment, http.RequestAborted))
        {
            case Csat.CsatAnswerResult.NotAsked: return Problem(409, "this conversation has no survey to answer");
            case Csat.CsatAnswerResult.AlreadyAnswered: return Problem(409, "the survey was already answered");
        }
        await scheduler.ScheduleAsync(id, Csat.CsatJob.Push, 1, time.GetUtcNow(), http.RequestAborted);
        return TypedResults.Ok(new CsatAnswerResponse(request.Rating.Value, true));
    }

    static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> LeaveContactAsync(
        string id, ContactRequest request, HttpContext http, ConversationService conversations, Helpdesk.HelpdeskHandoff helpdesk)
    {
        if (await OwnedAsync(http, conversations, id) is not { } conversation) return NotFound(id);
        var email = request.Email?.Trim() ?? "";
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var address) || !address.Host.Contains('.'))
            return Problem(400, $"'{email}' is not an email address we can reply to");
        if (request.Message is { Length: > MaxTextLength }) return Problem(400, $"message is longer than {MaxTextLength} characters");
        var visitor = Visitor(http);
        // Self-reported: the address is identified, not verified.
        await conversations.Store.UpdateContactAsync(visitor.ContactId,
            new ContactDetails(request.Name, address.Address, IdentityStatus: IdentityStatus.Identified), http.RequestAborted);
        // A handed-off conversation's ticket may have been waiting for exactly this address.
        await helpdesk.ContactCapturedAsync(id, http.RequestAborted);
        if (!string.IsNullOrWhiteSpace(request.Message))
            await conversations.ReceiveFromCustomerAsync(id, request.Message.Trim(), null, null, http.RequestAborted);
        await conversations.Store.AppendEventAsync(id, ConversationEventKinds.ContactCaptured, new { email = address.Address, name = request.Name }, http.RequestAborted);
        await conversations.PostAsync(id, MessageAuthor.System,
            $"Thanks! We have your message and will reply to {address.Address} as soon as someone is available.", cancellationToken: http.RequestAborted);
        var updated = (await conversations.Store.GetConversationAsync(id, http.RequestAborted))!;
        return TypedResults.Ok(ConversationResponse.From(updated, captureContact: false));
    }

    /// <summary>
    /// Live events as Server-Sent Events. Messages carry their sequence number as the event id, so
    /// the browser's automatic reconnect (Last-Event-ID) resumes exactly after the last one shown.
    /// </summary>
    static async Task<IResult> Events(string id, long? after, HttpContext http, ConversationService conversations, ConversationFeed feed,
        Configuration.ConnectorsConfigurationMonitor connectors)
    {
        if (!await IsOwnerAsync(http, conversations, id)) return NotFound(id);
        var availability = Availability.From(connectors);
        var resumeFrom = Math.Max(after ?? 0, long.TryParse(http.Request.Headers["Last-Event-ID"], out var lastEventId) ? lastEventId : 0);
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(StreamAsync(id, resumeFrom, conversations.Store, feed, availability, http.RequestAborted));
    }

    static async IAsyncEnumerable<SseItem<string>> StreamAsync(string id, long after, IConversationStore store, ConversationFeed feed,
        Availability availability, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading state and backlog, so nothing committed in between is missed.
        using var subscription = feed.Subscribe(id);
        var last = after;
        // The state a reconnecting widget may have missed while away (ephemeral events are not replayed).
        var conversation = (await store.GetConversationAsync(id, cancellationToken))!;
        yield return new SseItem<string>(JsonSerializer.Serialize(ConversationResponse.From(conversation, CaptureContact(conversation, availability)), Json), "ready")
        {
            ReconnectionInterval = TimeSpan.FromSeconds(2),
        };
        foreach (var message in await store.GetMessagesAsync(id, last, 1000, cancellationToken))
        {
            last = message.Sequence;
            if (IsPublic(message)) yield return MessageItem(message);
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            FeedEvent? next = null;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(Heartbeat);
                try { next = await subscription.Events.ReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
                catch (OperationCanceledException) { yield break; }
            }
            if (next is null)
            {
                yield return new SseItem<string>("{}", "ping");
                // Belt and braces: a hint lost between nodes (relay reconnecting) is caught up here.
                next = new MessagesCommitted(id, long.MaxValue);
            }
            switch (next)
            {
                case MessageAppended appended when appended.Message.Sequence <= last:
                    break; // already sent from the backlog
                case MessageAppended appended when appended.Message.Sequence == last + 1:
                    last = appended.Message.Sequence;
                    if (IsPublic(appended.Message)) yield return MessageItem(appended.Message);
                    break;
                case MessagesCommitted committed when committed.UpToSequence <= last:
                    break;
                case MessageAppended or MessagesCommitted:
                    // Out of order, dropped, or committed on another node: the store has the truth.
                    foreach (var message in await store.GetMessagesAsync(id, last, 1000, cancellationToken))
                    {
                        last = message.Sequence;
                        if (IsPublic(message)) yield return MessageItem(message);
                    }
                    break;
                case TypingChanged typing when typing.Author != MessageAuthor.Customer:
                    yield return Item("typing", new { author = typing.Author.ToText(), name = typing.Name, typing = typing.Typing });
                    break;
                case ReadReceipt read:
                    yield return Item("read", new { by = read.ByCustomer ? "customer" : "agent", sequence = read.Sequence });
                    break;
                case StatusChanged status:
                    yield return Item("status", new { mode = status.Mode.ToText(), notice = status.Notice, captureContact = status.CaptureContact });
                    break;
            }
        }
    }

    static SseItem<string> MessageItem(Message message) =>
        new(JsonSerializer.Serialize(MessageResponse.From(message), Json), "message") { EventId = message.Sequence.ToString() };

    static SseItem<string> Item(string type, object data) => new(JsonSerializer.Serialize(data, Json), type);

    static bool IsPublic(Message message) => message.Visibility == MessageVisibility.Public;

    /// <summary>The conversation waits for the customer's email when no one can answer.</summary>
    static bool CaptureContact(Conversation conversation, Availability availability) =>
        conversation.Mode == ConversationMode.Queued && !availability.HumansAvailable;

    static string AttachmentUrl(string attachmentId) => $"/api/webchat/attachments/{attachmentId}";

    static string SqlId(string prefix) => Storage.SqlConversationStore.NewId(prefix);

    // --- visitor authentication ---

    const string VisitorItem = "webchat.visitor";

    static VisitorToken Visitor(HttpContext http) => (VisitorToken)http.Items[VisitorItem]!;

    static async ValueTask<object?> RequireVisitorAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var header = http.Request.Headers.Authorization.ToString();
        // EventSource and <img> cannot send headers: they pass the token as ?token=.
        var text = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : http.Request.Query["token"].ToString();
        var (token, error) = await services.GetRequiredService<VisitorTokens>().ValidateAsync(text);
        if (token is null) return Problem(401, error!);
        if (services.GetRequiredService<WebChatSites>().Find(token.SiteId) is not { } site)
            return Problem(403, $"web chat site '{token.SiteId}' is no longer enabled");
        if (CheckOrigin(http, site) is { } originProblem) return originProblem;
        http.Items[VisitorItem] = token;
        return await next(context);
    }

    static ProblemHttpResult? CheckOrigin(HttpContext http, WebChatSite site)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return null; // not a browser page (curl, server-side): the token is the credential
        return site.AllowsOrigin(origin, $"{http.Request.Scheme}://{http.Request.Host}")
            ? null
            : Problem(403, $"origin {origin} is not allowed for site '{site.Id}' (add it to allowedOrigins in connectors.json)");
    }

    /// <summary>Someone else's conversation looks exactly like a missing one. Cached: the hot path's check.</summary>
    static async Task<bool> IsOwnerAsync(HttpContext http, ConversationService conversations, string id) =>
        await conversations.Store.GetConversationContactAsync(id, http.RequestAborted) == Visitor(http).ContactId;

    static async Task<Conversation?> OwnedAsync(HttpContext http, ConversationService conversations, string id) =>
        await IsOwnerAsync(http, conversations, id) ? await conversations.Store.GetConversationAsync(id, http.RequestAborted) : null;

    static ProblemHttpResult NotFound(string id) => Problem(404, $"conversation '{id}' not found");

    static ProblemHttpResult TooLarge(long limit) => Problem(413, $"the file is larger than the {limit / 1024} KiB limit");

    static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}
