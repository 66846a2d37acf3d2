using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers.JiraServiceManagement;

/// <summary>
/// Jira Service Management Cloud fake (vendor-contracts.md §7): Basic email:api_token; JSM customers,
/// customer requests, public/internal comments, temporary attachments; platform v3 myself, user search,
/// JQL search (<c>/search/jql</c>; the removed <c>/search</c> answers 410), issue edit and agent transitions;
/// JSM and platform error shapes; 429 with Retry-After, <c>X-RateLimit-Reset</c> (ISO-8601) and
/// <c>RateLimit-Reason</c>; admin webhooks signed with <c>X-Hub-Signature: sha256=…</c>.
/// </summary>
public sealed partial class JiraServiceManagementFake(
    string email = "hub-agent@example.test", string apiToken = "jira-api-token", string webhookSecret = "jira-webhook-secret",
    string serviceDeskId = "10", string conversationField = "customfield_10050") : StatefulFake
{
    public const string IntegrationAccountId = "5b10ac8d82e05b22cc7d4ef5";
    public const string AgentAccountId = "5b10a2844c20165700ede21g";
    /// <summary>The JSM IT service workflow: every status reachable from every other by an agent transition.</summary>
    public static readonly string[] Workflow = ["Waiting for support", "Waiting for customer", "In progress", "Resolved", "Closed", "Canceled"];
    static readonly string[] PriorityNames = ["Highest", "High", "Medium", "Low", "Lowest"];
    static readonly string[] RequestTypeIds = ["25", "26"];

    readonly HashSet<string> deskCustomers = [];
    readonly Dictionary<string, string> temporaryFiles = [];
    long issueNumber;

    public override string Vendor => "jiraservicemanagement";
    public string Email => email;
    public string ApiToken => apiToken;
    public string WebhookSecret => webhookSecret;
    public string ServiceDeskId => serviceDeskId;
    public string ConversationField => conversationField;

    protected override string HubStatus(string s) => s switch
    {
        "Waiting for customer" => "pending",
        "Resolved" => "solved",
        "Closed" or "Canceled" => "closed",
        _ => "open",
    };

    protected override string HubPriority(string p) => p switch { "Highest" => "urgent", "High" => "high", "Low" or "Lowest" => "low", _ => "normal" };

    protected override bool Authorize(HttpContext context) => BasicCredentials(context) == $"{email}:{apiToken}";

    protected override Task WriteValidationErrorAsync(HttpContext context, string message) => WriteJsonAsync(context, 400, new JsonObject
    {
        ["errorMessage"] = message, ["i18nErrorMessage"] = new JsonObject { ["i18nKey"] = "sd.request.create.error", ["parameters"] = new JsonArray() },
    });

    protected override Task WriteUnauthorizedAsync(HttpContext context) =>
        WriteJsonAsync(context, 401, Platform("Client must be authenticated to access this resource."));

    protected override void AddRateLimitHeaders(HttpContext context, int limit, int remaining)
    {
        context.Response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        if (remaining < limit / 5) context.Response.Headers["X-RateLimit-NearLimit"] = "true";
    }

    protected override Task WriteThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        // Retry-After in seconds; X-RateLimit-Reset = request time + Retry-After as yyyy-MM-ddTHH:mmZ.
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        context.Response.Headers["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow + retryAfter).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Limit"] = (RateLimit?.Limit ?? 0).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = "0";
        context.Response.Headers["RateLimit-Reason"] = "jira-burst-based";
        context.Response.StatusCode = 429;
        return context.Response.WriteAsync("Rate limit exceeded.");
    }

    /// <summary>Platform error: <c>{"errorMessages":[…],"errors":{…}}</c>.</summary>
    static JsonObject Platform(string? message, string? field = null, string? fieldMessage = null) => new()
    {
        ["errorMessages"] = message is null ? new JsonArray() : new JsonArray(message),
        ["errors"] = field is null ? new JsonObject() : new JsonObject { [field] = fieldMessage },
    };

    /// <summary>JSM error: <c>{"errorMessage","i18nErrorMessage":{"i18nKey","parameters"}}</c>.</summary>
    static JsonObject Jsm(string message, string key) => new()
    {
        ["errorMessage"] = message,
        ["i18nErrorMessage"] = new JsonObject { ["i18nKey"] = key, ["parameters"] = new JsonArray() },
    };

    JsonObject Myself() => new()
    {
        ["accountId"] = IntegrationAccountId, ["accountType"] = "atlassian", ["emailAddress"] = email,
        ["displayName"] = "Hub Integration", ["active"] = true, ["timeZone"] = "UTC",
    };

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/rest/api/3/myself", ctx => WriteJsonAsync(ctx, 200, Myself()));
        app.MapGet("/rest/servicedeskapi/servicedesk/{id}", ctx => ctx.Request.RouteValues["id"]?.ToString() == serviceDeskId
            ? WriteJsonAsync(ctx, 200, new JsonObject { ["id"] = serviceDeskId, ["projectId"] = "10000", ["projectName"] = "Help Center", ["projectKey"] = "HELP" })
            : WriteJsonAsync(ctx, 404, Jsm("The service desk does not exist.", "sd.servicedesk.error.not.found")));
        app.MapGet("/rest/api/3/user/search", ctx =>
        {
            var query = ctx.Request.Query["query"].ToString();
            JsonArray users;
            lock (Sync)
                users = new(StoredContacts.Where(c => query.Length > 0 && ((c.Email?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false) || (c.Name?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false)))
                    .Select(c => (JsonNode?)c.Fields.DeepClone()).ToArray());
            return WriteJsonAsync(ctx, 200, users);
        });
        app.MapPost("/rest/servicedeskapi/customer", async ctx =>
        {
            var input = await ReadJsonAsync(ctx);
            var (address, name) = (S(input?["email"]), S(input?["displayName"]));
            if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(name)) { await WriteJsonAsync(ctx, 400, Jsm("Email and display name are required.", "sd.customer.create.error.missing.fields")); return; }
            var strict = ctx.Request.Query["strictConflictStatusCode"] == "true";
            JsonObject? created = null;
            lock (Sync)
                if (!StoredContacts.Any(c => string.Equals(c.Email, address, StringComparison.OrdinalIgnoreCase)))
                {
                    var accountId = "qm:" + Guid.NewGuid().ToString("n");
                    created = new JsonObject { ["accountId"] = accountId, ["accountType"] = "customer", ["emailAddress"] = address, ["displayName"] = name, ["active"] = true, ["timeZone"] = "UTC" };
                    StoredContacts.Add(new StoredContact { Id = accountId, Email = address, Name = name, Fields = created });
                    created = (JsonObject)created.DeepClone();
                }
            if (created is not null) await WriteJsonAsync(ctx, 201, created);
            else await WriteJsonAsync(ctx, strict ? 409 : 400, Jsm("An account already exists for this email.", "sd.customer.create.error.email.exists"));
        });
        app.MapPost("/rest/servicedeskapi/servicedesk/{id}/customer", async ctx =>
        {
            var ids = ((await ReadJsonAsync(ctx))?["accountIds"] as JsonArray ?? []).Select(S).OfType<string>().ToList();
            if (ctx.Request.RouteValues["id"]?.ToString() != serviceDeskId) { await WriteJsonAsync(ctx, 404, Jsm("The service desk does not exist.", "sd.servicedesk.error.not.found")); return; }
            bool valid;
            lock (Sync)
            {
                valid = ids.Count > 0 && ids.All(id => StoredContacts.Any(c => c.Id == id));
                if (valid) deskCustomers.UnionWith(ids);
            }
            if (valid) ctx.Response.StatusCode = 204;
            else await WriteJsonAsync(ctx, 400, Jsm("One or more accountIds are not valid users.", "sd.customer.add.error.invalid.user"));
        });
        app.MapGet("/rest/api/3/search", ctx => WriteJsonAsync(ctx, 410, Platform("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")));
        app.MapGet("/rest/api/3/search/jql", ctx =>
        {
            var jql = ctx.Request.Query["jql"].ToString();
            if (ContainsClause().Match(jql) is not { Success: true } clause)
                return WriteJsonAsync(ctx, 400, Platform($"Error in the JQL Query: this fake understands only cf[n] ~ \"text\" (got: {jql})"));
            var field = $"customfield_{clause.Groups[1].Value}";
            var text = Regex.Unescape(clause.Groups[2].Value);
            var fields = ctx.Request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            JsonArray issues;
            lock (Sync)
                issues = new(StoredTickets.Where(t => S(t.Fields[field])?.Contains(text, StringComparison.OrdinalIgnoreCase) == true)
                    .OrderBy(t => t.Created).Select(t => (JsonNode?)Issue(t, fields)).ToArray());
            return WriteJsonAsync(ctx, 200, new JsonObject { ["issues"] = issues, ["isLast"] = true });
        });
        app.MapPost("/rest/servicedeskapi/request", async ctx =>
        {
            var (status, body) = CreateRequest(await ReadJsonAsync(ctx) as JsonObject);
            await WriteJsonAsync(ctx, status, body);
        });
        app.MapGet("/rest/api/3/issue/{issue}", ctx =>
        {
            var fields = ctx.Request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            return Find(ctx) is { } t ? WriteJsonAsync(ctx, 200, Issue(t, fields)) : IssueNotFoundAsync(ctx);
        });
        app.MapPut("/rest/api/3/issue/{issue}", async ctx =>
        {
            var fields = (await ReadJsonAsync(ctx))?["fields"] as JsonObject ?? [];
            if (Find(ctx) is not { } t) { await IssueNotFoundAsync(ctx); return; }
            if (fields["priority"] is JsonObject priority && !PriorityNames.Contains(S(priority["name"])))
            { await WriteJsonAsync(ctx, 400, Platform(null, "priority", $"Specify a valid priority name (got '{S(priority["name"])}').")); return; }
            lock (Sync)
                foreach (var (k, v) in fields)
                    if (k == "priority") t.Priority = S(v?["name"])!;
                    else t.Fields[k] = v?.DeepClone();
            ctx.Response.StatusCode = 204;
        });
        app.MapPost("/rest/servicedeskapi/request/{issue}/comment", async ctx =>
        {
            var input = await ReadJsonAsync(ctx);
            if (Find(ctx) is not { } t) { await RequestNotFoundAsync(ctx); return; }
            if (S(input?["body"]) is not { Length: > 0 } text) { await WriteJsonAsync(ctx, 400, Jsm("Comment body is required.", "sd.comment.error.empty")); return; }
            var isPublic = input?["public"]?.GetValue<bool>() ?? true;
            lock (Sync) t.Comments.Add(new FakeComment(text, isPublic));
            await WriteJsonAsync(ctx, 201, new JsonObject
            {
                ["id"] = NextId(), ["body"] = text, ["public"] = isPublic,
                ["author"] = Myself(), ["created"] = new JsonObject { ["iso8601"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) },
            });
        });
        app.MapGet("/rest/api/3/issue/{issue}/transitions", ctx =>
        {
            if (Find(ctx) is not { } t) return IssueNotFoundAsync(ctx);
            string current;
            lock (Sync) current = t.Status;
            return WriteJsonAsync(ctx, 200, new JsonObject { ["transitions"] = new JsonArray(Workflow.Where(s => s != current).Select(s => (JsonNode?)Transition(s)).ToArray()) });
        });
        app.MapPost("/rest/api/3/issue/{issue}/transitions", async ctx =>
        {
            var id = S((await ReadJsonAsync(ctx))?["transition"]?["id"]);
            if (Find(ctx) is not { } t) { await IssueNotFoundAsync(ctx); return; }
            bool valid;
            lock (Sync)
            {
                var target = Workflow.FirstOrDefault(s => TransitionId(s) == id);
                valid = target is not null && target != t.Status;
                if (valid) t.Status = target!;
            }
            if (valid) ctx.Response.StatusCode = 204;
            else await WriteJsonAsync(ctx, 400, Platform($"Transition id '{id}' is not valid for this issue."));
        });
        app.MapPost("/rest/servicedeskapi/servicedesk/{id}/attachTemporaryFile", async ctx =>
        {
            // XSRF protection: multipart posts need X-Atlassian-Token: no-check.
            if (ctx.Request.Headers["X-Atlassian-Token"] != "no-check") { await WriteJsonAsync(ctx, 403, Platform("XSRF check failed")); return; }
            if (!ctx.Request.HasFormContentType || (await ctx.Request.ReadFormAsync()).Files["file"] is not { } file)
            { await WriteJsonAsync(ctx, 400, Jsm("No file was attached.", "sd.attachment.error.empty")); return; }
            var temporaryId = Guid.NewGuid().ToString();
            lock (Sync) temporaryFiles[temporaryId] = file.FileName;
            await WriteJsonAsync(ctx, 201, new JsonObject
            {
                ["temporaryAttachments"] = new JsonArray(new JsonObject { ["temporaryAttachmentId"] = temporaryId, ["fileName"] = file.FileName }),
            });
        });
        app.MapPost("/rest/servicedeskapi/request/{issue}/attachment", async ctx =>
        {
            var input = await ReadJsonAsync(ctx);
            if (Find(ctx) is not { } t) { await RequestNotFoundAsync(ctx); return; }
            var ids = (input?["temporaryAttachmentIds"] as JsonArray ?? []).Select(S).OfType<string>().ToList();
            var isPublic = input?["public"]?.GetValue<bool>() ?? true;
            List<string> names;
            lock (Sync)
            {
                names = ids.Where(temporaryFiles.ContainsKey).Select(id => temporaryFiles[id]).ToList();
                if (names.Count > 0 && names.Count == ids.Count)
                {
                    foreach (var id in ids) temporaryFiles.Remove(id);
                    t.Attachments.AddRange(names);
                    if (S(input?["additionalComment"]?["body"]) is { Length: > 0 } comment) t.Comments.Add(new FakeComment(comment, isPublic));
                }
                else names = [];
            }
            if (names.Count == 0) { await WriteJsonAsync(ctx, 400, Jsm("The temporary attachment does not exist or has expired.", "sd.attachment.temporary.error.not.found")); return; }
            await WriteJsonAsync(ctx, 201, new JsonObject
            {
                ["attachments"] = new JsonObject { ["values"] = new JsonArray(names.Select(n => (JsonNode?)new JsonObject { ["filename"] = n }).ToArray()) },
            });
        });
    }

    static string TransitionId(string status) => (11 + 10 * Array.IndexOf(Workflow, status)).ToString(CultureInfo.InvariantCulture);

    static JsonObject Transition(string status) => new()
    {
        ["id"] = TransitionId(status), ["name"] = $"Move to {status}",
        ["to"] = new JsonObject { ["id"] = (10001 + Array.IndexOf(Workflow, status)).ToString(CultureInfo.InvariantCulture), ["name"] = status, ["statusCategory"] = Category(status) },
    };

    static JsonObject Category(string status) => status switch
    {
        "Resolved" or "Closed" or "Canceled" => new JsonObject { ["key"] = "done", ["name"] = "Done" },
        "Waiting for support" => new JsonObject { ["key"] = "new", ["name"] = "To Do" },
        _ => new JsonObject { ["key"] = "indeterminate", ["name"] = "In Progress" },
    };

    StoredTicket? Find(HttpContext ctx)
    {
        var idOrKey = ctx.Request.RouteValues["issue"]?.ToString();
        lock (Sync) return StoredTickets.FirstOrDefault(t => t.Id == idOrKey || S(t.Fields["key"]) == idOrKey);
    }

    static Task IssueNotFoundAsync(HttpContext ctx) => WriteJsonAsync(ctx, 404, Platform("Issue does not exist or you do not have permission to see it."));

    static Task RequestNotFoundAsync(HttpContext ctx) => WriteJsonAsync(ctx, 404, Jsm("The request could not be found or you do not have permission to see it.", "sd.request.error.not.found"));

    JsonObject Issue(StoredTicket t, IReadOnlyCollection<string> wanted)
    {
        var fields = new JsonObject();
        lock (Sync)
        {
            var all = new JsonObject
            {
                ["summary"] = t.Subject, ["description"] = t.Description,
                ["status"] = new JsonObject { ["name"] = t.Status, ["statusCategory"] = Category(t.Status) },
                ["priority"] = new JsonObject { ["name"] = t.Priority },
                [conversationField] = S(t.Fields[conversationField]),
            };
            foreach (var (k, v) in all)
                if (wanted.Count == 0 || wanted.Contains(k) || wanted.Contains("*all")) fields[k] = v?.DeepClone();
            return new JsonObject { ["id"] = t.Id, ["key"] = S(t.Fields["key"]), ["fields"] = fields };
        }
    }

    (int, JsonNode) CreateRequest(JsonObject? input)
    {
        if (input is null) return (400, Jsm("The request body is not valid JSON.", "sd.request.create.error.invalid"));
        var values = input["requestFieldValues"] as JsonObject ?? [];
        if (S(input["serviceDeskId"]) != serviceDeskId) return (404, Jsm("The service desk does not exist.", "sd.servicedesk.error.not.found"));
        if (!RequestTypeIds.Contains(S(input["requestTypeId"]))) return (400, Jsm($"The request type {S(input["requestTypeId"])} does not exist in this service desk.", "sd.requesttype.error.not.found"));
        if (S(values["summary"]) is not { Length: > 0 } summary) return (400, Jsm("Summary is required.", "sd.request.create.error.field.required"));
        var behalf = S(input["raiseOnBehalfOf"]);
        lock (Sync)
        {
            if (behalf is not null && !deskCustomers.Contains(behalf))
                return (400, Jsm($"The user '{behalf}' is not a customer of this service desk.", "sd.request.create.error.behalf.not.customer"));
            var number = Interlocked.Increment(ref issueNumber);
            var ticket = new StoredTicket
            {
                Id = (10000 + number).ToString(CultureInfo.InvariantCulture), ConversationId = S(values[conversationField]),
                Subject = summary, Description = S(values["description"]) ?? "", RequesterId = behalf ?? IntegrationAccountId,
                Queue = S(input["requestTypeId"]), Status = Workflow[0], Priority = "Medium", Fields = (JsonObject)values.DeepClone(),
            };
            ticket.Fields["key"] = $"HELP-{number}";
            StoredTickets.Add(ticket);
            return (201, new JsonObject
            {
                ["issueId"] = ticket.Id, ["issueKey"] = $"HELP-{number}", ["requestTypeId"] = S(input["requestTypeId"]), ["serviceDeskId"] = serviceDeskId,
                ["createdDate"] = new JsonObject { ["epochMillis"] = ticket.Created.ToUnixTimeMilliseconds() },
                ["reporter"] = new JsonObject { ["accountId"] = ticket.RequesterId },
                ["requestFieldValues"] = new JsonArray(values.Select(v => (JsonNode?)new JsonObject { ["fieldId"] = v.Key, ["value"] = v.Value?.DeepClone() }).ToArray()),
                ["currentStatus"] = new JsonObject { ["status"] = ticket.Status, ["statusCategory"] = "NEW" },
                ["_links"] = new JsonObject { ["web"] = $"{BaseUrl}servicedesk/customer/portal/1/HELP-{number}" },
            });
        }
    }

    public override async Task<HttpResponseMessage> SendWebhookAsync(Uri target, FakeWebhookKind kind, string ticketId, string text, CancellationToken cancellationToken = default)
    {
        var t = Ticket(ticketId) ?? throw new InvalidOperationException($"no issue {ticketId}");
        JsonObject payload;
        var now = DateTimeOffset.UtcNow;
        lock (Sync)
        {
            var issue = new JsonObject
            {
                ["id"] = t.Id, ["key"] = S(t.Fields["key"]),
                ["fields"] = new JsonObject { ["summary"] = t.Subject, [conversationField] = t.ConversationId },
            };
            if (kind == FakeWebhookKind.StatusSolved)
            {
                var from = t.Status;
                t.Status = "Resolved";
                issue["fields"]!["status"] = new JsonObject { ["name"] = "Resolved", ["statusCategory"] = Category("Resolved") };
                payload = new JsonObject
                {
                    ["timestamp"] = now.ToUnixTimeMilliseconds(), ["webhookEvent"] = "jira:issue_updated", ["issue_event_type_name"] = "issue_generic",
                    ["user"] = new JsonObject { ["accountId"] = AgentAccountId, ["displayName"] = "Agent Smith" },
                    ["issue"] = issue,
                    ["changelog"] = new JsonObject
                    {
                        ["id"] = NextId(),
                        ["items"] = new JsonArray(new JsonObject { ["field"] = "status", ["fieldtype"] = "jira", ["fromString"] = from, ["toString"] = "Resolved" }),
                    },
                };
            }
            else
            {
                var isPublic = kind == FakeWebhookKind.AgentPublicReply;
                t.Comments.Add(new FakeComment(text, isPublic));
                payload = new JsonObject
                {
                    ["timestamp"] = now.ToUnixTimeMilliseconds(), ["webhookEvent"] = "comment_created",
                    ["comment"] = new JsonObject
                    {
                        ["id"] = NextId(), ["body"] = text, ["jsdPublic"] = isPublic,
                        ["author"] = new JsonObject { ["accountId"] = AgentAccountId, ["displayName"] = "Agent Smith", ["accountType"] = "atlassian" },
                        ["created"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzz00", CultureInfo.InvariantCulture),
                    },
                    ["issue"] = issue,
                };
            }
        }
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        // WebSub style: lowercase hex HMAC-SHA256 of the raw body with the webhook's secret.
        request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(webhookSecret), body)));
        request.Headers.Add("X-Atlassian-Webhook-Identifier", Guid.NewGuid().ToString());
        using var http = WebhookClient();
        return await http.SendAsync(request, cancellationToken);
    }

    [GeneratedRegex(@"cf\[(\d+)\]\s*~\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ContainsClause();
}
