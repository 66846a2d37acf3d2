using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Jobs;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Csat;

/// <summary>After the close and the delay, one survey in the conversation; its answer is stored once and reaches the helpdesk ticket.</summary>
public abstract class CsatTests(string backend)
{
    static Dictionary<string, string?> Settings() => new(TranscriptSyncHarness.Settings())
    {
        ["Hub:Csat:Enabled"] = "true",
        ["Hub:Csat:DelaySeconds"] = "1",
        ["Hub:Csat:PushRetrySeconds"] = "0.5",
    };

    [Fact]
    public async Task Close_SurveySentOnce_AnswerStoredOnceAndPushedToTheTicket()
    {
        await using var zendesk = await TranscriptSyncHarness.StartZendeskAsync();
        await using var hub = await HubFactory.CreateAsync(backend, TranscriptSyncHarness.Connectors(zendesk), settings: Settings());
        var client = hub.CreateClient();
        var (id, token) = await TranscriptSyncHarness.VisitorConversationAsync(client, "my order is late");

        var early = await client.SendAsync(TranscriptSyncHarness.AsVisitor(HttpMethod.Post, $"/api/webchat/conversations/{id}/csat", token, new { rating = 5 }));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode); // not asked yet

        await TranscriptSyncHarness.CloseAsync(client, id);
        await Eventually.TrueAsync(async () =>
            (await client.GetAsync($"/api/admin/conversations/{id}/csat")) is { IsSuccessStatusCode: true } r &&
            (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString() == "sent", 30_000, "the survey to be sent");
        var messages = (await client.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Single(messages, m => m.GetProperty("providerMessageId").GetString() == $"csat:{id}" && m.GetProperty("author").GetString() == "system");

        var bad = await client.SendAsync(TranscriptSyncHarness.AsVisitor(HttpMethod.Post, $"/api/webchat/conversations/{id}/csat", token, new { rating = 7 }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var answer = await client.SendAsync(TranscriptSyncHarness.AsVisitor(HttpMethod.Post, $"/api/webchat/conversations/{id}/csat", token, new { rating = 4, comment = "quick and kind" }));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var again = await client.SendAsync(TranscriptSyncHarness.AsVisitor(HttpMethod.Post, $"/api/webchat/conversations/{id}/csat", token, new { rating = 1 }));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // The transcript sync made the ticket; the answer lands on it as an internal note.
        var note = await Eventually.ValueAsync(() => Task.FromResult(zendesk.Tickets.SingleOrDefault()?.Comments.FirstOrDefault(c => c.Body.Contains("Customer satisfaction"))),
            30_000, "the CSAT note on the ticket");
        Assert.Contains("4/5", note.Body);
        Assert.Contains("quick and kind", note.Body);
        Assert.False(note.Public);

        var report = await client.GetFromJsonAsync<JsonElement>("/api/admin/csat");
        var group = Assert.Single(report.EnumerateArray());
        Assert.Equal(1, group.GetProperty("answered").GetInt64());
        Assert.Equal(4.0, group.GetProperty("averageRating").GetDouble(), 3);
        // Still one survey message, whatever ran in between.
        messages = (await client.GetFromJsonAsync<JsonElement>($"/api/admin/conversations/{id}")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Single(messages, m => m.GetProperty("providerMessageId").GetString() == $"csat:{id}");
    }
}

public sealed class SqliteCsatTests() : CsatTests("sqlite");

public sealed class PostgresCsatTests() : CsatTests("postgres");
