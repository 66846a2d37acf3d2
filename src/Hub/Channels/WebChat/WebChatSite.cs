using IntegrationHub.Connectors.Configuration;

namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>One enabled web chat site: its connector entry and bound settings.</summary>
public sealed record WebChatSite(ConnectorConfig Config, WebChatSettings Settings)
{
    public string Id => Config.Id;

    /// <summary>The identity-verification secret, read now (it may have been rotated); null when not configured.</summary>
    public string? IdentitySecret() => Config.Secret("identitySecret");

    /// <summary>Pages of the hub itself may always embed the widget; others only when listed.</summary>
    public bool AllowsOrigin(string origin, string hubOrigin) =>
        string.Equals(origin, hubOrigin, StringComparison.OrdinalIgnoreCase) ||
        Settings.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
}
