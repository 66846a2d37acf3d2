namespace IntegrationHub.Bot.Handoff;

/// <summary>Why the bot handed off; stored on the packet and used by routing.</summary>
public static class HandoffReasons
{
    public const string CustomerRequest = "customer-request";
    public const string Frustration = "frustration";
    public const string VipSegment = "vip-segment";
    public const string HumanOnlyIntent = "human-only-intent";
    public const string OutOfScope = "out-of-scope";
    public const string RepeatedMiss = "repeated-miss";
    /// <summary>A hybrid intent the bot collected details for but could not resolve.</summary>
    public const string Unresolved = "unresolved";
}
