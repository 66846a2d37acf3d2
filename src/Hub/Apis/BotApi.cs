using System.Text.RegularExpressions;
using IntegrationHub.Bot;
using IntegrationHub.Bot.Drafts;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Conversations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Hub.Apis;

/// <summary>
/// The bot designers' and agents' endpoints under <c>/api/admin</c> (same admin check as <see cref="AdminApi"/>):
/// intents, knowledge sources and FAQ entries, a preview of what the bot would answer and why, and reply drafts.
/// </summary>
public static partial class BotApi
{
    /// <summary>The FAQ source that entries written through the API belong to.</summary>
    public const string FaqSourceId = "faq";
    const int MaxText = 4000, MaxExamples = 1000, MaxExampleLength = 500, MaxFields = 20;

    public static IEndpointRouteBuilder MapBotApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter(AdminApi.RequireAdmin).WithTags("Bot");
        admin.MapGet("/bot/intents", ListIntentsAsync);
        admin.MapPut("/bot/intents/{name}", UpsertIntentAsync);
        admin.MapDelete("/bot/intents/{name}", DeleteIntentAsync);
        admin.MapGet("/bot/knowledge/sources", ListSourcesAsync);
        admin.MapPost("/bot/knowledge/sources/{id}/reindex", ReindexAsync);
        admin.MapPut("/bot/knowledge/faq/{id}", UpsertFaqAsync);
        admin.MapDelete("/bot/knowledge/faq/{id}", DeleteFaqAsync);
        admin.MapPost("/bot/preview", PreviewAsync);
        admin.MapPost("/conversations/{id}/draft", DraftAsync);
        return app;
    }

    static async Task<IResult> ListIntentsAsync(IIntentStore intents, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        var workspace = connectors.Current.Workspace;
        return Results.Ok(new { revision = await intents.GetRevisionAsync(workspace, cancellationToken), intents = await intents.ListAsync(workspace, cancellationToken) });
    }

    static async Task<IResult> UpsertIntentAsync(string name, IntentRequest request, IIntentStore intents, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        if (ValidateIntent(name, request, out var intent) is { } problem) return Problem(400, problem);
        var workspace = connectors.Current.Workspace;
        var existed = (await intents.ListAsync(workspace, cancellationToken)).Any(i => i.Name == name);
        await intents.UpsertAsync(workspace, intent!, cancellationToken);
        // The new revision makes every node retrain on its next turn.
        var body = new { revision = await intents.GetRevisionAsync(workspace, cancellationToken), intent };
        return existed ? Results.Ok(body) : Results.Created($"/api/admin/bot/intents/{name}", body);
    }

    static async Task<IResult> DeleteIntentAsync(string name, IIntentStore intents, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        var workspace = connectors.Current.Workspace;
        if (!(await intents.ListAsync(workspace, cancellationToken)).Any(i => i.Name == name)) return Problem(404, $"intent '{name}' does not exist");
        await intents.DeleteAsync(workspace, name, cancellationToken);
        return Results.NoContent();
    }

    static async Task<IResult> ListSourcesAsync(IKnowledgeSourceStore sources, IKnowledgeChunkStore chunks, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        var workspace = connectors.Current.Workspace;
        var result = new List<object>();
        foreach (var source in await sources.ListAsync(workspace, cancellationToken))
        {
            var documents = (await chunks.GetDocumentHashesAsync(workspace, source.Id, cancellationToken)).Count;
            result.Add(new { source.Id, source.Kind, source.Title, source.Location, source.BaseUrl, source.Enabled, documents });
        }
        return Results.Ok(new { revision = await chunks.GetRevisionAsync(workspace, cancellationToken), sources = result });
    }

    static async Task<IResult> ReindexAsync(string id, IKnowledgeSourceStore sources, HubBot bot, BotContent content, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        if (bot.Current is not { } runtime) return NoBot();
        var source = (await sources.ListAsync(connectors.Current.Workspace, cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (source is null) return Problem(404, $"knowledge source '{id}' does not exist");
        switch (source.Kind)
        {
            case KnowledgeSourceKinds.Folder:
                if (!source.Enabled) return Problem(409, $"knowledge source '{id}' is disabled");
                try
                {
                    return Results.Ok(new { source = id, report = await runtime.Indexer.SyncFolderAsync(source, cancellationToken) });
                }
                catch (IOException e)
                {
                    return Problem(422, $"knowledge source '{id}' could not be read: {e.Message}");
                }
            case KnowledgeSourceKinds.Faq:
                return Problem(409, $"'{id}' is a FAQ source: its entries are indexed as they are saved (PUT /api/admin/bot/knowledge/faq/{{entryId}}), so there is nothing to re-read");
            case KnowledgeSourceKinds.Connector:
                try
                {
                    return Results.Ok(new { source = id, report = await content.SyncConnectorAsync(runtime, source, cancellationToken) });
                }
                catch (Connectors.Abstractions.ConnectorException e)
                {
                    return Problem(502, $"knowledge source '{id}' could not be synced: {e.Message}");
                }
                catch (InvalidOperationException e)
                {
                    return Problem(409, e.Message);
                }
            default:
                return Problem(409, $"knowledge source '{id}' is of kind '{source.Kind}', which cannot be re-indexed");
        }
    }

    static async Task<IResult> UpsertFaqAsync(string id, FaqRequest request, IKnowledgeSourceStore sources, HubBot bot, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        if (bot.Current is not { } runtime) return NoBot();
        if (!DocumentId().IsMatch(id)) return Problem(400, $"FAQ entry id '{id}' must be 1-100 letters, digits, '.', '_' or '-'");
        if (Required(request.Question, "question", 500) is { } q) return Problem(400, q);
        if (Required(request.Answer, "answer", MaxText) is { } a) return Problem(400, a);
        if (request.Url is { Length: > 0 } url && !IsLink(url)) return Problem(400, $"url '{url}' must be an absolute http(s) URL or a path starting with '/'");
        var workspace = connectors.Current.Workspace;
        if (!(await sources.ListAsync(workspace, cancellationToken)).Any(s => s.Id == FaqSourceId))
            await sources.UpsertAsync(new KnowledgeSource(workspace, FaqSourceId, KnowledgeSourceKinds.Faq, Title: "FAQ"), cancellationToken);
        var entry = new FaqEntry(id, request.Question!.Trim(), request.Answer!.Trim(), string.IsNullOrWhiteSpace(request.Url) ? null : request.Url.Trim());
        var report = await runtime.Indexer.UpsertAsync(workspace, FaqSourceId, entry.ToDocument(), cancellationToken);
        return Results.Ok(new { entry, report });
    }

    static async Task<IResult> DeleteFaqAsync(string id, IKnowledgeChunkStore chunks, HubBot bot, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken)
    {
        if (bot.Current is not { } runtime) return NoBot();
        var workspace = connectors.Current.Workspace;
        if (!(await chunks.GetDocumentHashesAsync(workspace, FaqSourceId, cancellationToken)).ContainsKey(id)) return Problem(404, $"FAQ entry '{id}' does not exist");
        await runtime.Indexer.RemoveAsync(workspace, FaqSourceId, id, cancellationToken);
        return Results.NoContent();
    }

    static async Task<IResult> PreviewAsync(PreviewRequest request, HubBot bot, ConnectorsConfigurationMonitor connectors, IOptions<HubOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (bot.Current is not { } runtime) return NoBot();
        if (Required(request.Text, "text", MaxText) is { } problem) return Problem(400, problem);
        var workspace = connectors.Current.Workspace;
        var text = runtime.Redactor.Redact(request.Text!.Trim());
        // A first message of a fresh conversation: what a new customer writing this would get.
        var reply = await runtime.Engine.ReplyAsync(new BotRequest
        {
            WorkspaceId = workspace,
            ConversationId = "preview",
            Channel = "preview",
            Transcript = [new(1, "customer", "public", text, time.GetUtcNow())],
        }, cancellationToken);
        var retrieval = await runtime.Search.SearchAsync(workspace, text, 5, cancellationToken);
        var baseUrl = options.Value.PublicBaseUrl;
        return Results.Ok(new
        {
            action = reply.Action,
            text = BotReplyText.Format(reply, baseUrl),
            reply.Intent,
            reply.Confidence,
            reply.Sentiment,
            reply.HandoffReason,
            reply.Engine,
            citations = BotReplyText.Links(reply.Citations, baseUrl),
            reply.Options,
            reply.Trace,
            passages = retrieval.Passages.Select(p => new
            {
                p.Chunk.SourceId, p.Chunk.DocumentId, p.Chunk.Title, p.Chunk.Heading,
                url = p.Chunk.Url is null ? null : BotReplyText.Absolute(p.Chunk.Url, baseUrl), p.Confidence, p.Score, p.Chunk.Text,
            }),
        });
    }

    static async Task<IResult> DraftAsync(string id, DraftRequestBody? request, HubBot bot, IConversationStore store, IOptions<HubOptions> options, CancellationToken cancellationToken)
    {
        if (bot.Current is not { } runtime) return NoBot();
        if (request?.Instructions is { Length: > 1000 }) return Problem(400, "instructions must be at most 1000 characters");
        if (await store.GetConversationAsync(id, cancellationToken) is not { } conversation) return Problem(404, $"conversation '{id}' not found");
        var messages = await store.GetMessagesAsync(id, Math.Max(0, conversation.LastSequence - 1000), 1000, cancellationToken);
        var contact = await store.GetContactAsync(conversation.ContactId, cancellationToken);
        var draft = await runtime.Engine.DraftAsync(new DraftRequest(conversation.WorkspaceId, id, messages.Select(m => m.ToTranscript()).ToList(),
            contact is null ? null : new(contact.Id, contact.Name, contact.Emails, contact.Phones, contact.IdentityStatus.ToText(), contact.ExternalIds),
            string.IsNullOrWhiteSpace(request?.Instructions) ? null : request.Instructions.Trim()), cancellationToken);
        return Results.Ok(draft with { Citations = BotReplyText.Links(draft.Citations, options.Value.PublicBaseUrl) });
    }

    /// <summary>Checks an intent and builds it; returns what is wrong, naming the field, or null.</summary>
    static string? ValidateIntent(string name, IntentRequest request, out IntentDefinition? intent)
    {
        intent = null;
        if (!IntentName().IsMatch(name)) return $"intent name '{name}' must be 1-64 lowercase letters, digits or '_' (e.g. order_status)";
        if (Required(request.DisplayName, "displayName", 100) is { } displayProblem) return displayProblem;
        var examples = request.Examples ?? [];
        if (examples.Count == 0) return "examples must list at least one example utterance";
        if (examples.Count > MaxExamples) return $"examples has {examples.Count} entries; the limit is {MaxExamples}";
        for (var i = 0; i < examples.Count; i++)
            if (Required(examples[i], $"examples[{i}]", MaxExampleLength) is { } exampleProblem) return exampleProblem;
        var routing = IntentRouting.Bot;
        if (request.Routing is not null && !Enum.TryParse(request.Routing, ignoreCase: true, out routing) || !Enum.IsDefined(routing))
            return $"routing '{request.Routing}' must be bot, hybrid or human";
        var fields = new List<IntentField>();
        var given = request.Fields ?? [];
        if (given.Count > MaxFields) return $"fields has {given.Count} entries; the limit is {MaxFields}";
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i] is not { } field) return $"fields[{i}] must be an object with name and prompt";
            if (field.Name is null || !IntentName().IsMatch(field.Name)) return $"fields[{i}].name must be 1-64 lowercase letters, digits or '_'";
            if (Required(field.Prompt, $"fields[{i}].prompt", 500) is { } promptProblem) return promptProblem;
            if (fields.Any(f => f.Name == field.Name)) return $"fields[{i}].name '{field.Name}' is listed twice";
            if (field.Pattern is { Length: > 0 } pattern)
            {
                try { _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
                catch (ArgumentException e) { return $"fields[{i}].pattern is not a valid regular expression: {e.Message}"; }
            }
            fields.Add(new IntentField(field.Name, field.Prompt!.Trim(), string.IsNullOrEmpty(field.Pattern) ? null : field.Pattern));
        }
        if (request.Answer is { Length: > MaxText }) return $"answer is longer than {MaxText} characters";
        intent = new IntentDefinition(name, request.DisplayName!.Trim(), examples.Select(e => e!.Trim()).ToList(), routing,
            fields.Count == 0 ? null : fields, string.IsNullOrWhiteSpace(request.Answer) ? null : request.Answer.Trim());
        return null;
    }

    static string? Required(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? $"{field} is required"
        : value.Length > maxLength ? $"{field} is {value.Length} characters; the limit is {maxLength}"
        : null;

    static bool IsLink(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        || Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    static IResult NoBot() => Problem(409, "no builtin-bot connector is enabled in connectors.json, so there is no bot to ask");

    static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex IntentName();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex DocumentId();
}
