namespace IntegrationHub.Connectors.Webhook;

internal sealed class WebhookOptions
{
    public string Url { get; set; } = "";
}
