using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Dataverse.Mapping;
using IntegrationHub.Connectors.JiraServiceManagement;
using IntegrationHub.Connectors.JiraServiceManagement.Mapping;
using IntegrationHub.Connectors.Salesforce;
using IntegrationHub.Connectors.Salesforce.Mapping;

namespace IntegrationHub.Connectors.Tests.Mapping;

/// <summary>Query-language escaping and value mapping of the Jira, Salesforce and Dataverse connectors.</summary>
public sealed class VendorMappingTests
{
    [Fact]
    public void Soql_QuotesAndBackslashes_AreEscaped() =>
        Assert.Equal(@"'o\'brien\\x@example.test'", SalesforceMapping.Soql(@"o'brien\x@example.test"));

    [Fact]
    public void Chunks_LongMultibyteText_SplitsUnderTheByteLimitWithoutLosingText()
    {
        var text = string.Concat(Enumerable.Repeat("Grüße 👋 ", 900));
        var chunks = SalesforceMapping.Chunks(text, SalesforceMapping.CommentBodyBytes).ToList();
        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(Encoding.UTF8.GetByteCount(c), 1, SalesforceMapping.CommentBodyBytes));
        Assert.Equal(text, string.Concat(chunks));
        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1])));
    }

    [Fact]
    public void SalesforceStatus_OverridesAndReverseMapping_RoundTrip()
    {
        var options = new SalesforceOptions { Statuses = new() { ["solved"] = "Resolved" } };
        Assert.Equal("Resolved", SalesforceMapping.Status("solved", options));
        Assert.Equal("On Hold", SalesforceMapping.Status("pending", options));
        Assert.Equal("solved", SalesforceMapping.HubStatus("Resolved", options));
        Assert.Equal("closed", SalesforceMapping.HubStatus("Closed", options));
        Assert.Equal("open", SalesforceMapping.HubStatus("New", options));
    }

    [Fact]
    public void DataverseKeySegment_QuoteInValue_IsDoubledAndEncoded()
    {
        Assert.Equal("'it''s'", DataverseMapping.Literal("it's"));
        Assert.Equal("incidents(ihub_conversationid=%27a%20b%27%27c%27)", DataverseMapping.KeySegment("incidents", "ihub_conversationid", "a b'c"));
    }

    [Fact]
    public void Jql_FieldAndLiteral_AreEscaped()
    {
        Assert.Equal("cf[10050]", JiraServiceManagementMapping.JqlField("customfield_10050"));
        Assert.Equal("\"say \\\"hi\\\" \\\\ bye\"", JiraServiceManagementMapping.JqlString("say \"hi\" \\ bye"));
    }

    [Fact]
    public void JiraPlainText_AtlassianDocumentFormat_BecomesText()
    {
        var adf = JsonNode.Parse("""{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"We "},{"type":"text","text":"refunded"}]},{"type":"paragraph","content":[{"type":"text","text":"Bye"}]}]}""");
        Assert.Equal("We refunded\nBye", JiraServiceManagementMapping.PlainText(adf));
        Assert.Equal("plain", JiraServiceManagementMapping.PlainText(JsonValue.Create("plain")));
    }

    [Fact]
    public void JiraStatus_UnknownDoneCategory_CountsAsSolved()
    {
        var options = new JiraServiceManagementOptions { Statuses = new() { ["pending"] = "Awaiting reply" } };
        Assert.Equal("pending", JiraServiceManagementMapping.HubStatus("awaiting reply", null, options));
        Assert.Equal("solved", JiraServiceManagementMapping.HubStatus("Done", "done", options));
        Assert.Equal("open", JiraServiceManagementMapping.HubStatus("Triage", "new", options));
    }
}
