using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Webhook.Mapping;

/// <summary>The JSON documents the generic connector sends (documented in README.md).</summary>
internal static class WebhookPayloads
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JsonObject Ticket(HandoffPacket packet, ContactReference requester) => new()
    {
        ["conversationId"] = packet.ConversationId,
        ["subject"] = TranscriptFormatter.Subject(packet),
        ["description"] = TranscriptFormatter.Description(packet),
        ["requester"] = JsonSerializer.SerializeToNode(requester, Json),
        ["packet"] = JsonSerializer.SerializeToNode(packet, Json),
    };

    public static JsonArray Messages(IEnumerable<TranscriptMessage> messages) =>
        new(messages.OrderBy(m => m.Sequence).Select(m => JsonSerializer.SerializeToNode(m, Json)).ToArray());
}
