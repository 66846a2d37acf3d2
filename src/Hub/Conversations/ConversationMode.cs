namespace IntegrationHub.Hub.Conversations;

/// <summary>Who is answering: the bot, nobody yet (waiting for a human), a human, or no one (closed).</summary>
public enum ConversationMode { Bot, Queued, Human, Closed }

/// <summary>Who wrote a message.</summary>
public enum MessageAuthor { Customer, Bot, Agent, System }

/// <summary>Public messages reach the customer; internal notes never do.</summary>
public enum MessageVisibility { Public, Internal }

/// <summary>How far the hub trusts who the contact says they are.</summary>
public enum IdentityStatus { Anonymous, Identified, Verified }

static class EnumText
{
    /// <summary>The lowercase form stored in the database and shown in the API.</summary>
    public static string ToText<T>(this T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T Parse<T>(string text) where T : struct, Enum => Enum.Parse<T>(text, ignoreCase: true);
}
