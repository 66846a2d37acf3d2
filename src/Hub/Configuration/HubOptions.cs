namespace IntegrationHub.Hub.Configuration;

/// <summary>The <c>Hub</c> section of appsettings.json (or HUB__* environment variables).</summary>
public sealed class HubOptions
{
    /// <summary>Path of connectors.json. Empty: the working directory's, else the nearest one above the app.</summary>
    public string? ConnectorsFile { get; set; }

    /// <summary>Admin API bearer token as a secret reference (env:NAME or a file path). Unset: admin API answers loopback callers only.</summary>
    public string? AdminToken { get; set; }

    public RateLimitOptions RateLimits { get; set; } = new();

    public UnansweredTurnsOptions UnansweredTurns { get; set; } = new();

    /// <summary>Largest JSON request body, in bytes.</summary>
    public int MaxJsonBodyBytes { get; set; } = 64 * 1024;

    /// <summary>With a bot enabled: add the sample intents (to a workspace without any) and the sample knowledge at start.</summary>
    public bool SeedSampleContent { get; set; } = true;

    /// <summary>The hub's public address (e.g. https://chat.example.com): makes citation and conversation links absolute. Empty: links are relative to the hub.</summary>
    public string? PublicBaseUrl { get; set; }
}

public sealed class RateLimitOptions
{
    /// <summary>Requests per minute from one IP address to the channel APIs.</summary>
    public int PerIpPerMinute { get; set; } = 600;

    /// <summary>Requests per minute from one visitor token.</summary>
    public int PerVisitorPerMinute { get; set; } = 120;
}

/// <summary>
/// After a start, the bot answers customer messages that were stored but never answered because a node stopped
/// between the two. It waits <see cref="DelaySeconds"/> so that turns other nodes had begun are finished first.
/// </summary>
public sealed class UnansweredTurnsOptions
{
    public int DelaySeconds { get; set; } = 60;

    /// <summary>Older messages get no late answer: the customer has most likely gone.</summary>
    public int LookBackMinutes { get; set; } = 60;

    public int Limit { get; set; } = 1000;
}
