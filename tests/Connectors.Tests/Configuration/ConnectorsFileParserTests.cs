using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Connectors.Tests.Configuration;

public sealed class ConnectorsFileParserTests
{
    static readonly ConnectorCatalog Catalog = new([
        ConnectorManifest.Parse("""
            {
              "id": "helpdesk", "displayName": "Test helpdesk", "capabilities": ["ticket-sink"], "secrets": ["apiToken"],
              "settingsSchema": {
                "type": "object", "additionalProperties": false, "required": ["subdomain", "apiToken"],
                "properties": {
                  "subdomain": { "type": "string", "pattern": "^[a-z0-9-]+$" },
                  "apiToken": { "type": "string" },
                  "baseUrl": { "type": "string", "format": "uri" },
                  "requestsPerMinute": { "type": "integer", "minimum": 1, "maximum": 2500 },
                  "priority": { "type": "string", "enum": ["low", "normal", "high"] },
                  "groups": { "type": "array", "items": { "type": "string" } },
                  "queues": { "type": "object", "additionalProperties": { "type": "object", "required": ["pipeline"], "properties": { "pipeline": { "type": "string" } } } }
                }
              }
            }
            """),
    ]);

    static readonly string Directory = Path.GetTempPath();

    static ConnectorConfigError Single(string json)
    {
        var error = Assert.Throws<ConnectorConfigurationException>(() => ConnectorsFileParser.Parse(json, Catalog, Directory));
        return Assert.Single(error.Errors);
    }

    static string File(string settings, string extra = "") =>
        $$"""{ "connectors": [ { "id": "zd-eu", "type": "helpdesk"{{extra}}, "settings": {{settings}} } ] }""";

    [Fact]
    public void Parse_ValidEntry_BindsSettingsAndResolvesSecret()
    {
        Environment.SetEnvironmentVariable("TEST_HELPDESK_TOKEN", "s3cret");
        var configuration = ConnectorsFileParser.Parse(File("""{ "subdomain": "acme", "apiToken": "env:TEST_HELPDESK_TOKEN", "requestsPerMinute": 700 }"""), Catalog, Directory);

        var connector = Assert.Single(configuration.Connectors);
        Assert.Equal("zd-eu", connector.Id);
        Assert.True(connector.Enabled);
        Assert.Equal("s3cret", connector.Secret("apiToken"));
        Assert.Single(configuration.EnabledWith(ConnectorCapabilities.TicketSink));
        Assert.DoesNotContain("s3cret", connector.Settings.ToJsonString());
    }

    [Fact]
    public void Parse_UnknownType_NamesConnectorAndKnownTypes()
    {
        var error = Single("""{ "connectors": [ { "id": "x", "type": "zendeks", "settings": {} } ] }""");
        Assert.Equal("x", error.Connector);
        Assert.Equal("type", error.Field);
        Assert.Contains("unknown connector type 'zendeks'", error.Problem);
        Assert.Contains("helpdesk", error.Problem);
    }

    [Fact]
    public void Parse_MissingRequiredSetting_NamesField()
    {
        Environment.SetEnvironmentVariable("TEST_HELPDESK_TOKEN", "s3cret");
        var error = Single(File("""{ "apiToken": "env:TEST_HELPDESK_TOKEN" }"""));
        Assert.Equal(("zd-eu", "settings.subdomain", "required setting is missing"), (error.Connector, error.Field, error.Problem));
    }

    [Theory]
    [InlineData("""{ "subdomain": 12, "apiToken": "env:TEST_HELPDESK_TOKEN" }""", "settings.subdomain", "expected a string, got the number 12")]
    [InlineData("""{ "subdomain": "Acme Corp", "apiToken": "env:TEST_HELPDESK_TOKEN" }""", "settings.subdomain", "does not match")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "requestsPerMinute": 1.5 }""", "settings.requestsPerMinute", "expected an integer")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "requestsPerMinute": 9000 }""", "settings.requestsPerMinute", "at most 2500")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "priority": "urgent" }""", "settings.priority", "must be one of")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "groups": ["a", 2] }""", "settings.groups[1]", "expected a string")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "baseUrl": "ftp://x" }""", "settings.baseUrl", "not an absolute http(s) URL")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "Subdomain": "b" }""", "settings.Subdomain", "did you mean 'subdomain'")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "queues": { "billing": {} } }""", "settings.queues.billing.pipeline", "required setting is missing")]
    [InlineData("""{ "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN", "queues": { "billing": { "pipeline": 7 } } }""", "settings.queues.billing.pipeline", "expected a string")]
    public void Parse_WrongSetting_NamesFieldAndProblem(string settings, string field, string problem)
    {
        Environment.SetEnvironmentVariable("TEST_HELPDESK_TOKEN", "s3cret");
        var error = Single(File(settings));
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem);
    }

    [Fact]
    public void Parse_LiteralSecret_RefusedWithoutEchoingIt()
    {
        var error = Single(File("""{ "subdomain": "a", "apiToken": "hunter2-literal" }"""));
        Assert.Equal("settings.apiToken", error.Field);
        Assert.Contains("must be a secret reference", error.Problem);
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    [Fact]
    public void Parse_SecretEnvironmentVariableMissing_BadReferenceNamed()
    {
        var error = Single(File("""{ "subdomain": "a", "apiToken": "env:TEST_NOT_SET_ANYWHERE" }"""));
        Assert.Equal("settings.apiToken", error.Field);
        Assert.Contains("bad secret reference env:TEST_NOT_SET_ANYWHERE", error.Problem);
    }

    [Fact]
    public void Parse_SecretFile_ResolvedRelativeToTheConfigFile()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("secrets-");
        System.IO.File.WriteAllText(Path.Combine(folder.FullName, "token.txt"), "from-file\n");
        var configuration = ConnectorsFileParser.Parse(File("""{ "subdomain": "a", "apiToken": "./token.txt" }"""), Catalog, folder.FullName);
        Assert.Equal("from-file", configuration.Connectors[0].Secret("apiToken"));
        var missing = Assert.Throws<ConnectorConfigurationException>(() =>
            ConnectorsFileParser.Parse(File("""{ "subdomain": "a", "apiToken": "file:/nonexistent/token" }"""), Catalog, folder.FullName));
        Assert.Contains("does not exist", missing.Errors[0].Problem);
    }

    [Fact]
    public void Parse_DisabledConnector_SecretNotResolvedButShapeChecked()
    {
        var configuration = ConnectorsFileParser.Parse(File("""{ "subdomain": "a", "apiToken": "env:TEST_NOT_SET_ANYWHERE" }""", ", \"enabled\": false"), Catalog, Directory);
        Assert.False(configuration.Connectors[0].Enabled);
        Assert.Empty(configuration.Enabled);
    }

    [Fact]
    public void Parse_DuplicateIdsAndSeveralProblems_AllReported()
    {
        Environment.SetEnvironmentVariable("TEST_HELPDESK_TOKEN", "s3cret");
        var json = """
            { "connectors": [
              { "id": "a", "type": "helpdesk", "settings": { "subdomain": "a", "apiToken": "env:TEST_HELPDESK_TOKEN" } },
              { "id": "a", "type": "helpdesk", "settings": { "subdomain": "b", "apiToken": "env:TEST_HELPDESK_TOKEN" } },
              { "id": "Bad Id", "type": "helpdesk", "settings": { "subdomain": "c", "apiToken": "env:TEST_HELPDESK_TOKEN" }, "enabeld": true }
            ] }
            """;
        var error = Assert.Throws<ConnectorConfigurationException>(() => ConnectorsFileParser.Parse(json, Catalog, Directory));
        Assert.Contains(error.Errors, e => e.Connector == "a" && e.Problem == "duplicate connector id");
        Assert.Contains(error.Errors, e => e.Connector == "Bad Id" && e.Field == "id");
        Assert.Contains(error.Errors, e => e.Connector == "Bad Id" && e.Field == "enabeld");
        Assert.Contains("connector 'a': id: duplicate connector id", error.Message);
    }

    [Fact]
    public void Parse_MalformedJson_SaysLine()
    {
        var error = Single("{ \"connectors\": [ { \"id\": \"a\", } \n");
        Assert.Contains("malformed JSON", error.Problem);
        Assert.StartsWith("line ", error.Field);
    }

    [Fact]
    public void Parse_NoConnectorsArray_Explains()
    {
        var error = Single("""{ "connector": [] }""");
        Assert.Contains("\"connectors\" array", error.Problem);
    }
}
