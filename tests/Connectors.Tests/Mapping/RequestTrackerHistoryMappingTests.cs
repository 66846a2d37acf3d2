using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.RequestTracker.Mapping;

namespace IntegrationHub.Connectors.Tests.Mapping;

/// <summary>RT transactions → hub events, on the JSON shapes RT 5.0.3's REST2 answers with.</summary>
public sealed class RequestTrackerHistoryMappingTests
{
    static JsonObject Transaction(string type, string? newValue = null, string name = "agent.smith", string? realName = "Agent Smith") => new()
    {
        ["id"] = "214",
        ["Type"] = type,
        ["Created"] = "2026-11-21T15:49:32Z",
        ["NewValue"] = newValue ?? "",
        ["Creator"] = new JsonObject { ["type"] = "user", ["id"] = name, ["Name"] = name, ["RealName"] = realName },
    };

    static JsonObject Part(string contentType, string content, string disposition = "inline") => new()
    {
        ["Content"] = content,
        ["Headers"] = $"Content-Type: {contentType}; charset=\"utf-8\"\nContent-Disposition: {disposition}\nX-RT-Interface: REST",
    };

    [Fact]
    public void ToEvent_Correspond_PublicReplyWithRealNameAndStableId()
    {
        var e = RequestTrackerHistoryMapping.ToEvent(Transaction("Correspond"), "14", "Hello")!;
        Assert.Equal(new WebhookEvent(WebhookEventKind.AgentPublicReply, "rt-txn-214", DateTimeOffset.Parse("2026-11-21T15:49:32Z"), "14", Body: "Hello", AuthorName: "Agent Smith"), e);
    }

    [Fact]
    public void ToEvent_CommentByUserWithoutRealName_InternalNoteNamedByUserName()
    {
        var e = RequestTrackerHistoryMapping.ToEvent(Transaction("Comment", realName: ""), "14", "note")!;
        Assert.Equal((WebhookEventKind.InternalNote, "agent.smith"), (e.Kind, e.AuthorName));
    }

    [Theory]
    [InlineData("resolved", "solved")]
    [InlineData("rejected", "closed")]
    [InlineData("deleted", "closed")]
    [InlineData("stalled", "pending")]
    [InlineData("open", "open")]
    [InlineData("new", "open")]
    public void ToEvent_StatusOfTheDefaultLifecycle_HubStatus(string rt, string hub) =>
        Assert.Equal(hub, RequestTrackerHistoryMapping.ToEvent(Transaction("Status", rt), "14", null)!.Status);

    [Fact]
    public void ToEvent_CustomLifecycleStatusOrEmptyReply_Ignored()
    {
        Assert.Null(RequestTrackerHistoryMapping.ToEvent(Transaction("Status", "awaiting-vendor"), "14", null));
        Assert.Null(RequestTrackerHistoryMapping.ToEvent(Transaction("Correspond"), "14", "  "));
        Assert.Null(RequestTrackerHistoryMapping.ToEvent(Transaction("EmailRecord"), "14", "mail"));
    }

    [Fact]
    public void MessageText_PlainAndHtmlAlternatives_PrefersPlain() =>
        Assert.Equal("Plain words", RequestTrackerHistoryMapping.MessageText(
            [new JsonObject { ["Content"] = "", ["Headers"] = "Content-Type: multipart/alternative" }, Part("text/html", "<p>Html words</p>"), Part("text/plain", " Plain words\n")]));

    [Fact]
    public void MessageText_HtmlOnly_TextWithLineBreaksAndEntities() =>
        Assert.Equal("Hello Jane,\nyour refund of 5 € is <on> its way.\nBest", RequestTrackerHistoryMapping.MessageText(
            [Part("text/html", "<div>Hello&nbsp;Jane,<br/>your refund of 5&nbsp;&euro; is &lt;on&gt; its <b>way</b>.</div>\n\n\n<p>Best</p>")]));

    [Fact]
    public void MessageText_OnlyAFileAttachment_NoText() =>
        Assert.Null(RequestTrackerHistoryMapping.MessageText([Part("text/plain", "file contents", "attachment; filename=\"log.txt\"")]));
}
