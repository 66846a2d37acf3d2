namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>Settings of one web chat site (a <c>webchat</c> entry of connectors.json).</summary>
public sealed class WebChatSettings
{
    public string Title { get; set; } = "Chat with us";
    public string Greeting { get; set; } = "Hi! Ask us anything.";
    public List<string> AllowedOrigins { get; set; } = [];
    public bool RequireVerifiedIdentity { get; set; }
    public int TokenLifetimeMinutes { get; set; } = 24 * 60;
    public string OfflineMessage { get; set; } = "No one is available to answer right now. Leave your email and your question, and we will reply by email.";
    public AttachmentSettings Attachments { get; set; } = new();
}

public sealed class AttachmentSettings
{
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
    public List<string> AllowedTypes { get; set; } = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"];
}
