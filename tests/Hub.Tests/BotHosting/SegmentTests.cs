using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Tests.Support;
using IntegrationHub.Webhooks.Signing;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>Contact segments: signed by the host page with the identity, or set by an admin; VIPs go to a human.</summary>
public sealed class SegmentTests : IAsyncLifetime
{
    HubFactory hub = null!;

    async Task StartAsync(string backend) => hub = await HubFactory.CreateAsync(backend,
        HubFactory.BotConnectors.Replace("\"settings\": { \"redactionPatterns\"", "\"settings\": { \"vipSegments\": [\"vip\"], \"redactionPatterns\""));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (hub is not null) await hub.DisposeAsync();
    }

    Task<HttpResponseMessage> SessionAsync(object user) =>
        hub.CreateClient().PostAsJsonAsync("/api/webchat/sessions", new { siteId = "web", user });

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Session_SegmentsSignedWithIdentity_StoredOnContact(string backend)
    {
        await StartAsync(backend);
        var response = await SessionAsync(new { externalId = "cust-7", segments = new[] { "VIP", "beta" }, userHash = HmacSignature.Sha256Hex(HubFactory.IdentitySecret, "cust-7|beta,vip") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        var token = (await hub.Get<VisitorTokens>().ValidateAsync(session.VisitorToken)).Token!;
        Assert.Equal(["beta", "vip"], (await hub.Get<IConversationStore>().GetContactAsync(token.ContactId))!.Segments);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Session_SegmentsNotCoveredByHash_RefusedAndUnsignedRefused(string backend)
    {
        await StartAsync(backend);
        var uncovered = await SessionAsync(new { externalId = "cust-7", segments = new[] { "vip" }, userHash = HmacSignature.Sha256Hex(HubFactory.IdentitySecret, "cust-7") });
        var unsigned = await SessionAsync(new { email = "eve@example.com", segments = new[] { "vip" } });

        Assert.Equal(HttpStatusCode.Unauthorized, uncovered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.Contains("segments", await unsigned.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task VipContact_AsksAnswerableQuestion_HandedToAHuman(string backend)
    {
        await StartAsync(backend);
        var response = await SessionAsync(new { externalId = "cust-9", segments = new[] { "vip" }, userHash = HmacSignature.Sha256Hex(HubFactory.IdentitySecret, "cust-9|vip") });
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.VisitorToken);
        var conversation = (await (await client.PostAsync("/api/webchat/conversations", null)).Content.ReadFromJsonAsync<ConversationResponse>())!;

        await client.PostAsJsonAsync($"/api/webchat/conversations/{conversation.Id}/messages", new { text = "How long does a refund take?" });

        var store = hub.Get<IConversationStore>();
        var handoff = await Eventually.ValueAsync(async () => (await store.GetEventsAsync(conversation.Id)).FirstOrDefault(e => e.Kind == ConversationEventKinds.Handoff));
        Assert.Contains("vip", handoff.Data);
        Assert.Equal(ConversationMode.Queued, (await store.GetConversationAsync(conversation.Id))!.Mode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AdminSetsSegments_ReplacedAndNormalised(string backend)
    {
        await StartAsync(backend);
        var contact = await hub.Get<IConversationStore>().FindOrCreateContactAsync("default", new ContactKey("email", "ann@example.com"), new ContactDetails());
        var admin = hub.CreateClient();

        var set = await admin.PutAsJsonAsync($"/api/admin/contacts/{contact.Id}/segments", new { segments = new[] { " Gold ", "gold", "EMEA" } });
        var bad = await admin.PutAsJsonAsync($"/api/admin/contacts/{contact.Id}/segments", new { segments = new[] { "" } });
        var missing = await admin.PutAsJsonAsync("/api/admin/contacts/ct_missing/segments", new { segments = new[] { "vip" } });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(["emea", "gold"], (await hub.Get<IConversationStore>().GetContactAsync(contact.Id))!.Segments);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
