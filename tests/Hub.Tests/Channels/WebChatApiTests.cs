using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;
using IntegrationHub.Webhooks.Signing;

namespace IntegrationHub.Hub.Tests.Channels;

public sealed class WebChatApiTests : IAsyncLifetime
{
    HubFactory hub = null!;

    public async Task InitializeAsync() => hub = await HubFactory.CreateAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString()!;

    async Task<(HttpClient Client, string ConversationId)> ConversationAsync()
    {
        var (client, _) = await hub.VisitorAsync();
        var created = await client.PostAsync("/api/webchat/conversations", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var conversation = await created.Content.ReadFromJsonAsync<ConversationResponse>();
        return (client, conversation!.Id);
    }

    [Fact]
    public async Task StartSession_UnknownSite_404ProblemNamesTheSite()
    {
        var response = await hub.CreateClient().PostAsJsonAsync("/api/webchat/sessions", new { siteId = "nope" });
        Assert.Contains("'nope'", Detail(await ProblemAsync(response, HttpStatusCode.NotFound)));
    }

    [Fact]
    public async Task StartSession_DisallowedOrigin_403ProblemNamesTheOrigin()
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Add("Origin", "https://evil.example");
        var response = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" });
        Assert.Contains("https://evil.example", Detail(await ProblemAsync(response, HttpStatusCode.Forbidden)));
    }

    [Fact]
    public async Task StartSession_ListedOrigin_AllowedWithCorsHeader()
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Add("Origin", "https://shop.example");
        var response = await client.PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://shop.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task StartSession_ValidUserHash_VerifiedAndSameContactOnAnotherDevice()
    {
        var user = new { externalId = "cust-42", email = "Ana@Example.com", name = "Ana", userHash = HmacSignature.Sha256Hex(HubFactory.IdentitySecret, "cust-42") };
        var (_, first) = await hub.VisitorAsync(user);
        var (_, second) = await hub.VisitorAsync(user);

        Assert.Equal("verified", first.Identity);
        var tokens = hub.Get<VisitorTokens>();
        var a = (await tokens.ValidateAsync(first.VisitorToken)).Token!;
        var b = (await tokens.ValidateAsync(second.VisitorToken)).Token!;
        Assert.Equal(a.ContactId, b.ContactId);
        var contact = await hub.Get<IConversationStore>().GetContactAsync(a.ContactId);
        Assert.Equal(["ana@example.com"], contact!.Emails);
        Assert.Equal(IdentityStatus.Verified, contact.IdentityStatus);
    }

    [Fact]
    public async Task StartSession_WrongUserHash_401AndNothingStored()
    {
        var response = await hub.CreateClient().PostAsJsonAsync("/api/webchat/sessions",
            new { siteId = "web", user = new { externalId = "cust-42", userHash = HmacSignature.Sha256Hex("guessed", "cust-42") } });
        Assert.Contains("userHash does not match", Detail(await ProblemAsync(response, HttpStatusCode.Unauthorized)));
    }

    [Fact]
    public async Task StartSession_EmailWithoutHash_IdentifiedNotVerified()
    {
        var (_, session) = await hub.VisitorAsync(new { email = "bo@example.com", name = "Bo" });
        Assert.Equal("identified", session.Identity);
    }

    [Fact]
    public async Task StartSession_PreviousToken_SameVisitorAndOpenConversationOffered()
    {
        var (client, conversationId) = await ConversationAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter;
        var response = await hub.CreateClient().PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", visitorToken = token });
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.Equal(conversationId, session.Conversation?.Id);
    }

    [Theory]
    [InlineData(null, "a visitor token is required")]
    [InlineData("garbage", "malformed")]
    [InlineData("v1.eyJzdWIiOiJ4In0.AAAA", "signature is invalid")]
    public async Task Conversations_BadToken_401SaysWhy(string? token, string expected)
    {
        var client = hub.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.PostAsync("/api/webchat/conversations", null);
        Assert.Contains(expected, Detail(await ProblemAsync(response, HttpStatusCode.Unauthorized)));
    }

    [Fact]
    public async Task Conversations_ExpiredToken_401SaysExpired()
    {
        var (_, session) = await hub.VisitorAsync();
        var tokens = hub.Get<VisitorTokens>();
        var valid = (await tokens.ValidateAsync(session.VisitorToken)).Token!;
        var expired = await tokens.IssueAsync(valid with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", expired);

        var response = await client.PostAsync("/api/webchat/conversations", null);

        Assert.Contains("expired", Detail(await ProblemAsync(response, HttpStatusCode.Unauthorized)));
    }

    [Fact]
    public async Task PostMessage_RetryWithSameClientMessageId_StoredOnce()
    {
        var (client, id) = await ConversationAsync();
        var body = new { text = "Where is my order?", clientMessageId = "m-1" };

        var first = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", body);
        var retry = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var again = (await retry.Content.ReadFromJsonAsync<PostMessageResponse>())!;
        Assert.True(again.Duplicate);
        var customerMessages = (await hub.Get<IConversationStore>().GetMessagesAsync(id)).Where(m => m.Author == MessageAuthor.Customer);
        Assert.Single(customerMessages);
    }

    [Fact]
    public async Task PostMessage_MalformedJson_400SaysWhereAndEarlierMessagesKept()
    {
        var (client, id) = await ConversationAsync();
        await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "kept" });

        var response = await client.PostAsync($"/api/webchat/conversations/{id}/messages", new StringContent("{\"text\": \"oops", Encoding.UTF8, "application/json"));

        Assert.Contains("malformed JSON", Detail(await ProblemAsync(response, HttpStatusCode.BadRequest)));
        Assert.Contains(await hub.Get<IConversationStore>().GetMessagesAsync(id), m => m.Body == "kept");
    }

    [Fact]
    public async Task PostMessage_WrongFieldType_400NamesTheField()
    {
        var (client, id) = await ConversationAsync();
        var response = await client.PostAsync($"/api/webchat/conversations/{id}/messages", new StringContent("{\"text\": 42}", Encoding.UTF8, "application/json"));
        Assert.Contains("$.text", Detail(await ProblemAsync(response, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task PostMessage_EmptyOrTooLong_400SaysTheLimit()
    {
        var (client, id) = await ConversationAsync();
        var empty = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "   " });
        var tooLong = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = new string('a', 4001) });
        Assert.Contains("text is required", Detail(await ProblemAsync(empty, HttpStatusCode.BadRequest)));
        Assert.Contains("4000", Detail(await ProblemAsync(tooLong, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task PostMessage_OversizedBody_413()
    {
        var (client, id) = await ConversationAsync();
        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = new string('a', 100_000) });
        Assert.Contains("limit", Detail(await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge)));
    }

    [Fact]
    public async Task PostMessage_UnknownOrSomeoneElsesConversation_404()
    {
        var (client, _) = await ConversationAsync();
        var (_, othersConversation) = await ConversationAsync();

        var unknown = await client.PostAsJsonAsync("/api/webchat/conversations/conv_missing/messages", new { text = "hi" });
        var others = await client.PostAsJsonAsync($"/api/webchat/conversations/{othersConversation}/messages", new { text = "hi" });

        Assert.Contains("conv_missing", Detail(await ProblemAsync(unknown, HttpStatusCode.NotFound)));
        await ProblemAsync(others, HttpStatusCode.NotFound);
        Assert.Empty(await hub.Get<IConversationStore>().GetMessagesAsync(othersConversation));
    }

    static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    static MultipartFormDataContent File(byte[] bytes, string name, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { content, "file", name } };
    }

    [Fact]
    public async Task Attachments_AllowedImage_UploadedSentAndDownloadableByOwnerOnly()
    {
        var (client, id) = await ConversationAsync();
        var upload = await client.PostAsync($"/api/webchat/conversations/{id}/attachments", File(Png, "shot.png", "image/png"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var info = (await upload.Content.ReadFromJsonAsync<JsonElement>());
        var attachmentId = info.GetProperty("id").GetString()!;

        var posted = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "see screenshot", attachmentIds = new[] { attachmentId } });
        var download = await client.GetAsync($"/api/webchat/attachments/{attachmentId}");
        var (stranger, _) = await hub.VisitorAsync();
        var strangerDownload = await stranger.GetAsync($"/api/webchat/attachments/{attachmentId}");

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        await ProblemAsync(strangerDownload, HttpStatusCode.NotFound);
        var stored = (await hub.Get<IConversationStore>().GetMessagesAsync(id)).Single(m => m.Body == "see screenshot");
        Assert.Equal("shot.png", Assert.Single(stored.Attachments).FileName);
    }

    [Fact]
    public async Task Attachments_DisguisedExecutable_415()
    {
        var (client, id) = await ConversationAsync();
        var response = await client.PostAsync($"/api/webchat/conversations/{id}/attachments", File("MZ\x90\0binary"u8.ToArray(), "cat.png", "image/png"));
        Assert.Contains("not an allowed file type", Detail(await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType)));
    }

    [Fact]
    public async Task Attachments_OverSiteLimit_413()
    {
        var (client, id) = await ConversationAsync();
        var big = Png.Concat(new byte[30_000]).ToArray();
        var response = await client.PostAsync($"/api/webchat/conversations/{id}/attachments", File(big, "big.png", "image/png"));
        Assert.Contains("KiB limit", Detail(await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge)));
    }

    [Fact]
    public async Task PostMessage_AttachmentOfAnotherConversation_400()
    {
        var (client, id) = await ConversationAsync();
        var (other, otherId) = await ConversationAsync();
        var upload = await other.PostAsync($"/api/webchat/conversations/{otherId}/attachments", File(Png, "x.png", "image/png"));
        var attachmentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "hi", attachmentIds = new[] { attachmentId } });

        Assert.Contains("was not uploaded to this conversation", Detail(await ProblemAsync(response, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task NoBotNoAgents_CustomerToldHonestlyAndContactCaptured()
    {
        var (client, id) = await ConversationAsync();
        await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "Is anyone there?" });

        var notice = await Eventually.ValueAsync(async () =>
            (await hub.Get<IConversationStore>().GetMessagesAsync(id)).FirstOrDefault(m => m.Author == MessageAuthor.System));
        var conversation = await client.GetFromJsonAsync<ConversationResponse>($"/api/webchat/conversations/{id}");
        var invalid = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/contact", new { email = "not-an-email" });
        var captured = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/contact", new { email = "cy@example.com", name = "Cy", message = "Please call me back" });

        Assert.Contains("No one is available", notice.Body);
        Assert.True(conversation!.CaptureContact);
        Assert.Equal("queued", conversation.Mode);
        Assert.Contains("not-an-email", Detail(await ProblemAsync(invalid, HttpStatusCode.BadRequest)));
        Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
        var store = hub.Get<IConversationStore>();
        var stored = (await store.GetConversationAsync(id))!;
        var contact = (await store.GetContactAsync(stored.ContactId))!;
        Assert.Equal(["cy@example.com"], contact.Emails);
        Assert.Equal(IdentityStatus.Identified, contact.IdentityStatus);
        Assert.Contains(await store.GetMessagesAsync(id), m => m.Body == "Please call me back");
        Assert.Contains(await store.GetEventsAsync(id), e => e.Kind == ConversationEventKinds.ContactCaptured);
    }

    [Fact]
    public async Task ReadReceipt_StoredAndCappedAtLastMessage()
    {
        var (client, id) = await ConversationAsync();
        await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/messages", new { text = "one" });
        var response = await client.PostAsJsonAsync($"/api/webchat/conversations/{id}/read", new { sequence = 50 });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var conversation = (await hub.Get<IConversationStore>().GetConversationAsync(id))!;
        Assert.True(conversation.CustomerReadSequence is >= 1 and <= 2);
    }
}
