using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.FakeServers.Zendesk;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>
/// <c>POST /api/admin/helpdesk/conversations/{id}/draft-note</c>: the bot's reply draft, with its sources, on the
/// Zendesk ticket (the fake) as an internal note; never on the customer's widget, never echoed back as an agent's note.
/// </summary>
public sealed class AgentDraftNoteTests : IAsyncLifetime
{
    HelpdeskFixture? fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (fixture is not null) await fixture.DisposeAsync();
    }

    /// <summary>The hub with Zendesk's webhooks pointed at it, so the note's own comment_added event comes back as it would.</summary>
    async Task<HelpdeskFixture> StartAsync(string backend = "sqlite", IReadOnlyDictionary<string, string?>? settings = null)
    {
        fixture = await HelpdeskFixture.StartAsync(settings, backend);
        using var admin = new ZendeskAgentClient(fixture.Zendesk, fixture.Zendesk.Email);
        await admin.SubscribeAsync(new Uri(fixture.Hub.ServerAddress, "/api/webhooks/zendesk-eu"));
        return fixture;
    }

    /// <summary>A customer asks about refunds, then for a person; returns the conversation and its linked Zendesk ticket.</summary>
    async Task<(HttpClient Customer, string Token, string Id, string TicketId)> HandedOffAsync(HelpdeskFixture f, string question = "How long does a refund take?")
    {
        var (customer, token, id) = await f.CustomerAsync();
        var first = await HelpdeskFixture.SayAsync(customer, id, question);
        await Eventually.TrueAsync(async () => (await f.Store.GetMessagesAsync(id, first.Sequence)).Any(m => m.Author == MessageAuthor.Bot), what: "the bot's answer");
        await HelpdeskFixture.SayAsync(customer, id, "I want to talk to a real person");
        var ticket = await Eventually.ValueAsync(() => Task.FromResult(f.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the ticket");
        await Eventually.TrueAsync(async () => (await f.Store.GetConversationAsync(id))!.Tickets.Count == 1, what: "the ticket link");
        return (customer, token, id, ticket.Id);
    }

    static Task<HttpResponseMessage> RequestDraftAsync(HelpdeskFixture f, string id, object? body = null) =>
        f.Http.PostAsJsonAsync($"/api/admin/helpdesk/conversations/{id}/draft-note", body ?? new { });

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static IEnumerable<string> DraftComments(HelpdeskFixture f, string ticketId) =>
        f.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments.Where(c => c.Body.Contains("Suggested reply")).Select(c => c.Body);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DraftNote_GroundedDraft_PrivateCommentWithSourcesOnTicketAndNeverOnTheWidget(string backend)
    {
        var f = await StartAsync(backend);
        var (customer, token, id) = await f.CustomerAsync();
        await f.HandOffAsync(customer, id);
        var ticketId = (await Eventually.ValueAsync(() => Task.FromResult(f.Zendesk.Tickets.SingleOrDefault(t => t.ConversationId == id)), what: "the ticket")).Id;
        await Eventually.TrueAsync(async () => (await f.Store.GetConversationAsync(id))!.Tickets.Count == 1, what: "the ticket link");
        // The agent greets the customer from Zendesk; the customer's next question is what the draft answers.
        using var agent = new ZendeskAgentClient(f.Zendesk, ZendeskFake.AgentEmail);
        await agent.CommentAsync(ticketId, "Hi Jane, Smith here. How can I help?");
        await Eventually.TrueAsync(async () => (await f.Store.GetMessagesAsync(id)).Any(m => m.Author == MessageAuthor.Agent), what: "the agent's greeting in the hub");
        await HelpdeskFixture.SayAsync(customer, id, "How long does a refund take?");
        await Eventually.TrueAsync(() => Task.FromResult(f.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments.Any(c => c.Body == "How long does a refund take?")), what: "the question on the ticket");
        // The widget's live stream, resumed after everything so far.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/webchat/conversations/{id}/events?token={Uri.EscapeDataString(token)}");
        request.Headers.Add("Last-Event-ID", (await f.Store.GetConversationAsync(id))!.LastSequence.ToString());
        using var stream = await customer.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var widget = new SseReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await widget.NextAsync()).Type);

        var response = await RequestDraftAsync(f, id);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await JsonAsync(response);
        Assert.True(answer.GetProperty("draft").GetProperty("grounded").GetBoolean(), answer.ToString());
        Assert.Equal(ticketId, Assert.Single(answer.GetProperty("tickets").EnumerateArray()).GetProperty("ticketId").GetString());
        var source = new Uri(f.Hub.ServerAddress, "/knowledge/sample/returns.html#refund-timing").ToString();
        var comment = Assert.Single(f.Zendesk.Tickets.Single(t => t.Id == ticketId).Comments, c => c.Body.Contains("Suggested reply"));
        Assert.False(comment.Public);
        Assert.StartsWith($"[{AgentDraftNotes.AuthorName}] Suggested reply", comment.Body);
        Assert.Contains("5 working days", comment.Body);
        Assert.Contains($"Sources:\n- ", comment.Body);
        Assert.Contains(source, comment.Body);

        // Recorded in the hub as an internal message and an event.
        var note = Assert.Single(await f.Store.GetMessagesAsync(id), m => m.Body.Contains("Suggested reply"));
        Assert.Equal((MessageVisibility.Internal, MessageAuthor.Bot, AgentDraftNotes.AuthorName), (note.Visibility, note.Author, note.AuthorName));
        Assert.Equal(note.Sequence, answer.GetProperty("messageSequence").GetInt64());
        Assert.Contains(await f.Store.GetEventsAsync(id), e => e.Kind == AgentDraftNotes.EventKind && e.Data.Contains(ticketId));

        // Zendesk reports the note as a comment by the API user: answered 200, never relayed as an agent's note.
        await f.Zendesk.WebhookDeliveriesSettledAsync();
        var echo = Assert.Single(f.Zendesk.WebhookDeliveries, d => d.Type == ZendeskFake.CommentAddedEvent && d.BodyText.Contains("Suggested reply"));
        Assert.Equal(200, echo.Status);
        await agent.CommentAsync(ticketId, "Refunds take up to 5 working days.");
        var first = await widget.NextOfTypeAsync("message", timeoutMs: 10_000);
        Assert.Contains("Refunds take up to 5 working days.", first.Data);
        var messages = await f.Store.GetMessagesAsync(id);
        Assert.Single(messages, m => m.Body.Contains("Suggested reply"));
        Assert.DoesNotContain(messages, m => m.Author == MessageAuthor.Agent && m.Visibility == MessageVisibility.Internal);
        Assert.DoesNotContain("Suggested reply", await customer.GetStringAsync($"/api/webchat/conversations/{id}/messages"));
    }

    [Fact]
    public async Task DraftNote_NoKnowledgeCoversIt_PostsAHoldingDraftThatSaysSo()
    {
        var f = await StartAsync();
        var (_, _, id, ticketId) = await HandedOffAsync(f, "My parrot chewed through the router cable");

        var response = await RequestDraftAsync(f, id, new { instructions = "Be brief" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False((await JsonAsync(response)).GetProperty("draft").GetProperty("grounded").GetBoolean());
        var body = Assert.Single(DraftComments(f, ticketId));
        Assert.Contains("Sources: none.", body);
        Assert.Contains("No knowledge passage matched", body);
    }

    [Fact]
    public async Task DraftNote_UnknownConversationOrNeverHandedOff_404And409WithReason()
    {
        var f = await StartAsync();
        var (customer, _, id) = await f.CustomerAsync();
        await HelpdeskFixture.SayAsync(customer, id, "How long does a refund take?");

        var unknown = await RequestDraftAsync(f, "no-such-conversation");
        var botOnly = await RequestDraftAsync(f, id);
        var tooLong = await RequestDraftAsync(f, id, new { instructions = new string('x', 1001) });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("conversation 'no-such-conversation' not found", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, botOnly.StatusCode);
        Assert.Contains("has no helpdesk ticket: it was not handed off", await botOnly.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.DoesNotContain(await f.Store.GetMessagesAsync(id), m => m.Visibility == MessageVisibility.Internal);
    }

    [Fact]
    public async Task DraftNote_TicketNotCreatedYet_409SaysWhy()
    {
        // Long back-off: the ticket waits for the anonymous customer's email for the whole test.
        var f = await StartAsync(settings: new Dictionary<string, string?> { ["Hub:Helpdesk:RetryBaseSeconds"] = "600", ["Hub:Helpdesk:RetryMaxSeconds"] = "600" });
        var customer = new HttpClient { BaseAddress = f.Hub.ServerAddress };
        var session = await (await customer.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" })).Content.ReadFromJsonAsync<JsonElement>();
        customer.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("visitorToken").GetString());
        var id = (await (await customer.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await f.HandOffAsync(customer, id);
        await Eventually.TrueAsync(async () => (await f.Hub.Get<IntegrationHub.Hub.Storage.SqlTicketSyncStore>().ForConversationAsync(id)).Any(r => r.LastError is not null),
            what: "the outbox's first attempt");

        var response = await RequestDraftAsync(f, id);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = await response.Content.ReadAsStringAsync();
        Assert.Contains("is not created yet", detail);
        Assert.Contains("email", detail);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DraftNote_ZendeskRateLimits_503WithRetryAfterAndNothingRecorded(string backend)
    {
        var f = await StartAsync(backend);
        var (_, _, id, ticketId) = await HandedOffAsync(f);
        var messagesBefore = (await f.Store.GetMessagesAsync(id)).Count;
        f.Zendesk.Faults.Throttle(1, TimeSpan.FromSeconds(7), "PUT", $"/api/v2/tickets/{ticketId}");

        var response = await RequestDraftAsync(f, id);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        var detail = await response.Content.ReadAsStringAsync();
        Assert.Contains("rate limiting", detail);
        Assert.Contains("no ticket has the note and the hub recorded nothing", detail);
        Assert.Empty(DraftComments(f, ticketId));
        Assert.Equal(messagesBefore, (await f.Store.GetMessagesAsync(id)).Count);
        Assert.DoesNotContain(await f.Store.GetEventsAsync(id), e => e.Kind == AgentDraftNotes.EventKind);
    }

    [Fact]
    public async Task DraftNote_ZendeskFails_502NothingRecordedThenAskingAgainPostsOnce()
    {
        var f = await StartAsync();
        var (_, _, id, ticketId) = await HandedOffAsync(f);
        f.Zendesk.Faults.Status(500, 1, "PUT", $"/api/v2/tickets/{ticketId}");

        var failed = await RequestDraftAsync(f, id);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("the helpdesk did not take the note", await failed.Content.ReadAsStringAsync());
        Assert.Empty(DraftComments(f, ticketId));
        Assert.DoesNotContain(await f.Store.GetMessagesAsync(id), m => m.AuthorName == AgentDraftNotes.AuthorName);

        // The agent asks again once Zendesk is back (its circuit breaker may still be open for a moment).
        await Eventually.TrueAsync(async () => (await RequestDraftAsync(f, id)).StatusCode == HttpStatusCode.Created, what: "a successful second request");
        Assert.Single(DraftComments(f, ticketId));
        Assert.Single(await f.Store.GetMessagesAsync(id), m => m.AuthorName == AgentDraftNotes.AuthorName);
    }

    [Fact]
    public async Task DraftNote_AdminTokenConfigured_BearerRequired()
    {
        Environment.SetEnvironmentVariable("HUB_TEST_DRAFT_ADMIN_TOKEN", "draft-admin-token");
        var f = await StartAsync(settings: new Dictionary<string, string?> { ["Hub:AdminToken"] = "env:HUB_TEST_DRAFT_ADMIN_TOKEN" });

        var anonymous = await RequestDraftAsync(f, "any");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/helpdesk/conversations/any/draft-note") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", "draft-admin-token");
        var authorised = await f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, authorised.StatusCode);
    }
}
