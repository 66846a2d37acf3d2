using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.Apis;

/// <summary>The bot API under /api/admin: intents, knowledge, preview and drafts, on each backend.</summary>
public abstract class BotApiTests(string backend) : IAsyncLifetime
{
    HubFactory hub = null!;
    HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        hub = await HubFactory.CreateAsync(backend, connectors: HubFactory.BotConnectors);
        admin = hub.CreateClient();
    }

    public async Task DisposeAsync() => await hub.DisposeAsync();

    static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }

    async Task<JsonElement> PreviewAsync(string text)
    {
        var response = await admin.PostAsJsonAsync("/api/admin/bot/preview", new { text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task ListIntents_FreshWorkspace_SampleIntentsSeeded()
    {
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/bot/intents");

        var names = listed.GetProperty("intents").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Contains("refund_status", names);
        Assert.Contains("billing_dispute", names);
        Assert.True(listed.GetProperty("revision").GetInt64() > 0);
    }

    [Fact]
    public async Task UpsertIntent_NewIntent_CreatedAndThePreviewRecognisesItAtOnce()
    {
        Assert.NotEqual("gift_cards", (await PreviewAsync("can I pay with a gift voucher card")).GetProperty("intent").GetString());

        var response = await admin.PutAsJsonAsync("/api/admin/bot/intents/gift_cards", new
        {
            displayName = "Gift cards",
            examples = new[] { "can i pay with a gift card", "gift voucher balance", "redeem my gift card", "do you sell gift cards", "gift card not working" },
            answer = "Gift cards can be used at checkout under Payment.",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var preview = await PreviewAsync("can I pay with a gift voucher card");
        Assert.Equal("gift_cards", preview.GetProperty("intent").GetString());
        Assert.Equal("answer", preview.GetProperty("action").GetString());
        Assert.Equal("Gift cards can be used at checkout under Payment.", preview.GetProperty("text").GetString());
        Assert.Contains(preview.GetProperty("trace").EnumerateArray(), t => t.GetString()!.Contains("gift_cards"));
    }

    [Fact]
    public async Task UpsertIntent_ExistingIntent_200AndRevisionMoves()
    {
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/admin/bot/intents")).GetProperty("revision").GetInt64();

        var response = await admin.PutAsJsonAsync("/api/admin/bot/intents/refund_status",
            new { displayName = "Check a refund", examples = new[] { "where is my refund" }, routing = "human" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("revision").GetInt64() > before);
        Assert.Equal("human", body.GetProperty("intent").GetProperty("routing").GetString());
    }

    public static TheoryData<string, string, string> BadIntents => new()
    {
        { "Bad Name", """{"displayName":"x","examples":["a"]}""", "intent name 'Bad Name'" },
        { "ok", """{"examples":["a"]}""", "displayName is required" },
        { "ok", """{"displayName":"x","examples":[]}""", "examples must list at least one" },
        { "ok", """{"displayName":"x","examples":["a", " "]}""", "examples[1] is required" },
        { "ok", """{"displayName":"x","examples":["a"],"routing":"robot"}""", "routing 'robot' must be bot, hybrid or human" },
        { "ok", """{"displayName":"x","examples":["a"],"fields":[{"name":"order","prompt":"Which?","pattern":"(["}]}""", "fields[0].pattern is not a valid regular expression" },
        { "ok", """{"displayName":"x","examples":["a"],"fields":[{"name":"order"}]}""", "fields[0].prompt is required" },
        { "ok", "{\"displayName\":\"x\",\"examples\":[\"a\"", "malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(BadIntents))]
    public async Task UpsertIntent_BadInput_400SaysWhatIsWrong(string name, string json, string expected)
    {
        var response = await admin.PutAsync($"/api/admin/bot/intents/{Uri.EscapeDataString(name)}", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Contains(expected, await ProblemDetailAsync(response, HttpStatusCode.BadRequest));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/api/admin/bot/intents")).GetProperty("intents").EnumerateArray(),
            i => i.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task DeleteIntent_ExistingThenAgain_204Then404()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/bot/intents/reset_password")).StatusCode);

        Assert.Contains("'reset_password' does not exist", await ProblemDetailAsync(await admin.DeleteAsync("/api/admin/bot/intents/reset_password"), HttpStatusCode.NotFound));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/api/admin/bot/intents")).GetProperty("intents").EnumerateArray(),
            i => i.GetProperty("name").GetString() == "reset_password");
    }

    [Fact]
    public async Task ListSources_AfterStart_SampleFolderWithItsDocuments()
    {
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/bot/knowledge/sources");

        var sample = Assert.Single(listed.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "sample");
        Assert.Equal("folder", sample.GetProperty("kind").GetString());
        Assert.Equal(4, sample.GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task Reindex_SampleSource_EverythingUnchanged()
    {
        var response = await admin.PostAsync("/api/admin/bot/knowledge/sources/sample/reindex", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("report");
        Assert.Equal(4, report.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, report.GetProperty("added").GetInt32() + report.GetProperty("updated").GetInt32() + report.GetProperty("removed").GetInt32());
    }

    [Fact]
    public async Task Reindex_UnknownSource_404()
    {
        Assert.Contains("'nope' does not exist", await ProblemDetailAsync(await admin.PostAsync("/api/admin/bot/knowledge/sources/nope/reindex", null), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task UpsertFaq_NewEntry_PreviewAnswersFromItThenDeleteRemovesIt()
    {
        const string question = "Do you offer gift wrapping for birthday presents?";
        var response = await admin.PutAsJsonAsync("/api/admin/bot/knowledge/faq/gift-wrap",
            new { question = "Do you offer gift wrapping?", answer = "Yes: tick Gift wrap at checkout; it costs £2.50 per parcel.", url = "https://shop.example/help/gift-wrap" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var preview = await PreviewAsync(question);
        Assert.Equal("answer", preview.GetProperty("action").GetString());
        Assert.Contains("£2.50 per parcel", preview.GetProperty("text").GetString());
        Assert.Equal("https://shop.example/help/gift-wrap", preview.GetProperty("citations")[0].GetProperty("url").GetString());
        Assert.Equal("faq", preview.GetProperty("passages")[0].GetProperty("sourceId").GetString());
        Assert.Contains("is a FAQ source", await ProblemDetailAsync(await admin.PostAsync("/api/admin/bot/knowledge/sources/faq/reindex", null), HttpStatusCode.Conflict));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/bot/knowledge/faq/gift-wrap")).StatusCode);
        Assert.DoesNotContain("£2.50", (await PreviewAsync(question)).GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/admin/bot/knowledge/faq/gift-wrap")).StatusCode);
    }

    [Theory]
    [InlineData("""{"answer":"a"}""", "question is required")]
    [InlineData("""{"question":"q"}""", "answer is required")]
    [InlineData("""{"question":"q","answer":"a","url":"javascript:alert(1)"}""", "url 'javascript:alert(1)' must be")]
    public async Task UpsertFaq_BadInput_400SaysWhatIsWrong(string json, string expected)
    {
        var response = await admin.PutAsync("/api/admin/bot/knowledge/faq/entry-1", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await ProblemDetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Preview_KnowledgeQuestion_AnswerWithPassagesAndTrace()
    {
        var preview = await PreviewAsync("Do you deliver to the United States and how much does it cost?");

        Assert.Equal("answer", preview.GetProperty("action").GetString());
        Assert.Contains("/knowledge/sample/shipping.html#", preview.GetProperty("text").GetString());
        var passages = preview.GetProperty("passages").EnumerateArray().ToList();
        Assert.NotEmpty(passages);
        Assert.True(passages[0].GetProperty("confidence").GetDouble() >= passages[^1].GetProperty("confidence").GetDouble());
        Assert.NotEmpty(preview.GetProperty("trace").EnumerateArray());
        Assert.Equal("builtin", preview.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task Preview_CardNumberInText_RedactedInEverythingReturned()
    {
        var response = await admin.PostAsJsonAsync("/api/admin/bot/preview", new { text = "I was charged twice on 4111-1111-1111-1111" });
        Assert.DoesNotContain("4111-1111-1111-1111", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{}", "text is required")]
    [InlineData("""{"text":"   "}""", "text is required")]
    [InlineData("""{"text":1}""", "malformed JSON")]
    public async Task Preview_BadInput_400SaysWhatIsWrong(string json, string expected)
    {
        var response = await admin.PostAsync("/api/admin/bot/preview", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await ProblemDetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Draft_ConversationAskingAboutReturns_GroundedDraftWithSources()
    {
        var (client, _) = await hub.VisitorAsync(new { name = "Ana Smith" });
        var id = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!.Id;
        await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "How many days do I have to return unworn items?" });

        var response = await admin.PostAsJsonAsync($"/api/admin/conversations/{id}/draft", new { instructions = "be brief" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var draft = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(draft.GetProperty("grounded").GetBoolean());
        Assert.StartsWith("Hi Ana,", draft.GetProperty("text").GetString());
        Assert.Contains("30 days", draft.GetProperty("text").GetString());
        Assert.StartsWith("/knowledge/sample/returns.html#", draft.GetProperty("citations")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Draft_UnknownConversation_404()
    {
        var response = await admin.PostAsJsonAsync("/api/admin/conversations/conv_nope/draft", new { });
        Assert.Contains("'conv_nope' not found", await ProblemDetailAsync(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Draft_InstructionsTooLong_400()
    {
        var response = await admin.PostAsJsonAsync("/api/admin/conversations/conv_nope/draft", new { instructions = new string('x', 1001) });
        Assert.Contains("instructions must be at most 1000 characters", await ProblemDetailAsync(response, HttpStatusCode.BadRequest));
    }
}

public sealed class SqliteBotApiTests() : BotApiTests("sqlite");

public sealed class PostgresBotApiTests() : BotApiTests("postgres");
