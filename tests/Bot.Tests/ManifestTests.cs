using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Bot.Tests;

public class ManifestTests
{
    [Fact]
    public void BuiltIn_EmbeddedManifest_DescribesBotType()
    {
        var manifest = BotManifests.BuiltIn;

        Assert.Equal("builtin-bot", manifest.Id);
        Assert.Equal(["bot"], manifest.Capabilities);
        Assert.Empty(manifest.Secrets);
    }

    [Fact]
    public void BuiltIn_TypicalSettings_AreValid()
    {
        var settings = JsonNode.Parse("""
            {"confidenceThreshold":0.6,"handoffOnSecondMiss":true,"humanOnlyIntents":["billing_dispute"],"vipSegments":["vip"],
             "knowledgeFolders":["./kb"],"redactionPatterns":[{"name":"iban","pattern":"GB\\d{2}"}],
             "businessHours":{"timeZone":"Europe/London","days":["mon","fri"],"open":"09:00","close":"17:30","intakeFields":["email"]}}
            """);

        Assert.Empty(SettingsSchemaValidator.Validate(settings, BotManifests.BuiltIn.SettingsSchema));
    }

    [Fact]
    public void BuiltIn_BadSettings_NameTheField()
    {
        var errors = SettingsSchemaValidator.Validate(JsonNode.Parse("""{"confidenceThreshold":2,"businessHours":{"open":"9am"},"colour":"red"}"""), BotManifests.BuiltIn.SettingsSchema);

        Assert.Contains(errors, e => e.Field == "settings.confidenceThreshold");
        Assert.Contains(errors, e => e.Field == "settings.businessHours.open");
        Assert.Contains(errors, e => e.Field == "settings.colour");
    }

    [Fact]
    public void OpenAICompatible_EmbeddedManifest_RequiresEndpointAndModelAndMarksKeySecret()
    {
        var manifest = BotManifests.OpenAICompatible;

        Assert.Equal("openai-compatible", manifest.Id);
        Assert.True(manifest.IsSecret("apiKey"));
        Assert.Empty(SettingsSchemaValidator.Validate(JsonNode.Parse("""{"endpoint":"http://localhost:11434/v1","model":"llama3","apiKey":"env:OPENAI_KEY","timeoutSeconds":10}"""), manifest.SettingsSchema));
        var errors = SettingsSchemaValidator.Validate(JsonNode.Parse("""{"endpoint":"not a url"}"""), manifest.SettingsSchema);
        Assert.Contains(errors, e => e.Field == "settings.endpoint");
        Assert.Contains(errors, e => e.Field == "settings.model");
    }

    [Fact]
    public void AddBot_ConnectorConfig_BindsSettings()
    {
        var settings = JsonNode.Parse("""{"confidenceThreshold":0.7,"vipSegments":["gold"],"redactionPatterns":[{"name":"iban","pattern":"GB\\d{2}"}]}""")!.AsObject();
        var config = new ConnectorConfig("bot", "builtin-bot", true, settings, BotManifests.BuiltIn, AppContext.BaseDirectory);
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddBot(config);
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotOptions>>(provider).Value;
        var redactor = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IntegrationHub.Bot.Redaction.IRedactor>(provider);

        Assert.Equal(0.7, options.ConfidenceThreshold);
        Assert.Equal(["gold"], options.VipSegments);
        Assert.Equal("x [redacted iban]", redactor.Redact("x GB12"));
    }
}
