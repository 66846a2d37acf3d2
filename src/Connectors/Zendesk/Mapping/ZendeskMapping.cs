using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Zendesk.Mapping;

/// <summary>Hub ↔ Zendesk values.</summary>
internal static class ZendeskMapping
{
    /// <summary>Zendesk priorities are the hub's: low, normal, high, urgent.</summary>
    public static string Priority(string hub) => hub is "low" or "normal" or "high" or "urgent" ? hub : "normal";

    /// <summary>Zendesk closes solved tickets by automation; the API sets solved.</summary>
    public static string Status(string hub) => hub switch { "pending" => "pending", "solved" or "closed" => "solved", "hold" => "hold", _ => "open" };

    public static string HubStatus(string zendesk) => zendesk switch { "new" or "open" => "open", "pending" or "hold" => "pending", "solved" => "solved", "closed" => "closed", _ => zendesk };

    /// <summary>The create-ticket body: subject, readable description, requester, group, tags and custom fields.</summary>
    public static JsonObject Ticket(HandoffPacket packet, long requesterId, ZendeskOptions options)
    {
        var tags = new JsonArray(options.Tags.Select(t => (JsonNode?)t).ToArray());
        tags.Add($"channel_{Tag(packet.Channel)}");
        if (packet.Intent is { } intent) tags.Add($"intent_{Tag(intent)}");
        var ticket = new JsonObject
        {
            ["subject"] = TranscriptFormatter.Subject(packet),
            ["comment"] = new JsonObject { ["body"] = TranscriptFormatter.Description(packet), ["public"] = false },
            ["requester_id"] = requesterId,
            ["external_id"] = packet.ConversationId,
            ["priority"] = Priority(packet.Priority),
            ["type"] = "question",
            ["tags"] = tags,
        };
        var group = packet.Queue is { } q && options.Groups.TryGetValue(q, out var g) ? g : options.DefaultGroupId;
        if (group is { } groupId) ticket["group_id"] = groupId;
        var fields = new JsonArray();
        if (options.ConversationUrlFieldId is { } urlField && packet.ConversationUrl is { } url) fields.Add(new JsonObject { ["id"] = urlField, ["value"] = url });
        if (options.IntentFieldId is { } intentField && packet.Intent is { } i) fields.Add(new JsonObject { ["id"] = intentField, ["value"] = i });
        if (fields.Count > 0) ticket["custom_fields"] = fields;
        return ticket;
    }

    static string Tag(string value) => new(value.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
