using System.Text.Json;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;

namespace IntegrationHub.Hub.Storage;

// Column-shaped rows that Dapper fills; mapped to the public records in one place.

internal sealed class ContactRow
{
    public string Id { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string? Name { get; set; }
    public string Emails { get; set; } = "[]";
    public string Phones { get; set; } = "[]";
    public string IdentityStatus { get; set; } = "anonymous";
    public string Segments { get; set; } = "[]";
    public DateTimeOffset CreatedAt { get; set; }

    public Contact ToContact(IReadOnlyDictionary<string, string> externalIds) => new(
        Id, WorkspaceId, Name, StoredJson.List(Emails), StoredJson.List(Phones),
        EnumText.Parse<IdentityStatus>(IdentityStatus), externalIds, CreatedAt) { Segments = StoredJson.List(Segments) };
}

internal sealed class ConversationRow
{
    public string Id { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string Channel { get; set; } = "";
    public string? ChannelInstance { get; set; }
    public string ContactId { get; set; } = "";
    public string Mode { get; set; } = "bot";
    public string? Intent { get; set; }
    public string Priority { get; set; } = "normal";
    public string? Queue { get; set; }
    public long LastSeq { get; set; }
    public long CustomerReadSeq { get; set; }
    public long AgentReadSeq { get; set; }
    public string? BotState { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FirstBotReplyAt { get; set; }
    public DateTimeOffset? FirstHumanReplyAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public Conversation ToConversation(IReadOnlyList<TicketReference> tickets) => new(
        Id, WorkspaceId, Channel, ChannelInstance, ContactId, EnumText.Parse<ConversationMode>(Mode), Intent, Priority, Queue,
        LastSeq, CustomerReadSeq, AgentReadSeq, BotState, CreatedAt, FirstBotReplyAt, FirstHumanReplyAt, ClosedAt, tickets);
}

internal sealed class MessageRow
{
    public string ConversationId { get; set; } = "";
    public long Seq { get; set; }
    public string Author { get; set; } = "";
    public string Visibility { get; set; } = "";
    public string Body { get; set; } = "";
    public string? AuthorName { get; set; }
    public string? Attachments { get; set; }
    public string? ProviderMessageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public Message ToMessage() => new(
        ConversationId, Seq, EnumText.Parse<MessageAuthor>(Author), EnumText.Parse<MessageVisibility>(Visibility), Body, AuthorName,
        StoredJson.Attachments(Attachments), ProviderMessageId, CreatedAt);
}

internal sealed class TicketRow
{
    public string ConnectorId { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public string? Url { get; set; }
}

internal sealed class EventRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Data { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class AttachmentRow
{
    public string Id { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

internal static class StoredJson
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static IReadOnlyList<string> List(string json) => JsonSerializer.Deserialize<List<string>>(json, Options) ?? [];

    public static IReadOnlyList<AttachmentInfo> Attachments(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<AttachmentInfo>>(json, Options) ?? [];
}
