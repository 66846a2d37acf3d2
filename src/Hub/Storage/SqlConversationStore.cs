using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Hub.Conversations;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Storage;

/// <summary>The conversation store on SQLite or PostgreSQL: one schema, SQL that both accept.</summary>
internal sealed class SqlConversationStore : IConversationStore, IAsyncDisposable
{
    public const string MessageColumns = "conversation_id, seq, author, visibility, body, author_name, attachments, provider_message_id, created_at";
    const string ConversationColumns = "id, workspace_id, channel, channel_instance, contact_id, mode, intent, priority, queue, last_seq, customer_read_seq, agent_read_seq, bot_state, created_at, first_bot_reply_at, first_human_reply_at, closed_at";

    readonly SqlDialect dialect;
    readonly TimeProvider time;
    readonly MessageWriter writer;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> owners = new(StringComparer.Ordinal);

    static SqlConversationStore() => DateTimeOffsetHandler.Register();

    public SqlConversationStore(SqlDialect dialect, TimeProvider time, ILogger<SqlConversationStore> logger)
    {
        this.dialect = dialect;
        this.time = time;
        writer = new MessageWriter(dialect, time, logger);
    }

    public string Backend => dialect.Name;

    public static string NewId(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";

    public async Task<Contact> FindOrCreateContactAsync(string workspaceId, ContactKey key, ContactDetails details, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var existing = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT contact_id FROM contact_keys WHERE workspace_id = @workspaceId AND kind = @Kind AND value = @Value",
            new { workspaceId, key.Kind, key.Value });
        if (existing is not null) return (await GetContactAsync(existing, cancellationToken))!;

        var now = time.GetUtcNow();
        var id = NewId("ct");
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Name and trust go in with the row, so a racing caller that loses never sees a bare contact.
            await connection.ExecuteAsync(
                "INSERT INTO contacts (id, workspace_id, name, emails, phones, identity_status, created_at, updated_at) VALUES (@id, @workspaceId, @name, '[]', '[]', @status, @now, @now)",
                new { id, workspaceId, name = string.IsNullOrWhiteSpace(details.Name) ? null : details.Name.Trim(), status = (details.IdentityStatus ?? IdentityStatus.Anonymous).ToText(), now }, transaction);
            // The key's primary key decides races: the loser rolls back and reads the winner's contact.
            var claimed = await connection.ExecuteAsync(
                "INSERT INTO contact_keys (workspace_id, kind, value, contact_id) VALUES (@workspaceId, @Kind, @Value, @id) ON CONFLICT DO NOTHING",
                new { workspaceId, key.Kind, key.Value, id }, transaction);
            if (claimed == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await FindOrCreateContactAsync(workspaceId, key, details, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return await UpdateContactAsync(id, details, cancellationToken);
    }

    public async Task<Contact?> GetContactAsync(string contactId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await ReadContactAsync(connection, null, contactId);
    }

    static async Task<Contact?> ReadContactAsync(DbConnection connection, DbTransaction? transaction, string contactId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ContactRow>(
            "SELECT id, workspace_id, name, emails, phones, identity_status, segments, created_at FROM contacts WHERE id = @contactId", new { contactId }, transaction);
        if (row is null) return null;
        var external = await connection.QueryAsync<(string Kind, string Value)>(
            "SELECT kind, value FROM contact_keys WHERE contact_id = @contactId AND kind LIKE 'external:%' ORDER BY kind", new { contactId }, transaction);
        return row.ToContact(external.ToDictionary(k => k.Kind["external:".Length..], k => k.Value));
    }

    public async Task<Contact> UpdateContactAsync(string contactId, ContactDetails details, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ContactRow>(
            $"SELECT id, workspace_id, name, emails, phones, identity_status, segments, created_at FROM contacts WHERE id = @contactId{dialect.ForUpdate}",
            new { contactId }, transaction) ?? throw new KeyNotFoundException($"contact '{contactId}' does not exist");
        var emails = StoredJson.List(row.Emails).ToList();
        var phones = StoredJson.List(row.Phones).ToList();
        var email = details.Email?.Trim().ToLowerInvariant();
        var phone = details.Phone?.Trim();
        if (!string.IsNullOrEmpty(email) && !emails.Contains(email)) emails.Add(email);
        if (!string.IsNullOrEmpty(phone) && !phones.Contains(phone)) phones.Add(phone);
        // Trust only goes up: a verified visitor stays verified when they later type an email.
        var status = EnumText.Parse<IdentityStatus>(row.IdentityStatus);
        if (details.IdentityStatus is { } newStatus && newStatus > status) status = newStatus;
        await connection.ExecuteAsync(
            "UPDATE contacts SET name = COALESCE(@name, name), emails = @emails, phones = @phones, identity_status = @status, segments = COALESCE(@segments, segments), updated_at = @now WHERE id = @contactId",
            new
            {
                name = string.IsNullOrWhiteSpace(details.Name) ? null : details.Name.Trim(), emails = StoredJson.Write(emails), phones = StoredJson.Write(phones),
                status = status.ToText(), segments = details.Segments is { } given ? StoredJson.Write(given.Select(g => g.Trim().ToLowerInvariant()).Where(g => g.Length > 0).Distinct().Order().ToList()) : null,
                now = time.GetUtcNow(), contactId,
            },
            transaction);
        foreach (var (kind, value) in new[] { ("email", email), ("phone", phone) })
            if (!string.IsNullOrEmpty(value))
                await connection.ExecuteAsync(
                    "INSERT INTO contact_keys (workspace_id, kind, value, contact_id) VALUES (@WorkspaceId, @kind, @value, @contactId) ON CONFLICT DO NOTHING",
                    new { row.WorkspaceId, kind, value, contactId }, transaction);
        var contact = (await ReadContactAsync(connection, transaction, contactId))!;
        await transaction.CommitAsync(cancellationToken);
        return contact;
    }

    public async Task<bool> SetContactExternalIdAsync(string contactId, string connectorId, string externalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var kind = $"external:{connectorId}";
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM contact_keys WHERE contact_id = @contactId AND kind = @kind", new { contactId, kind }, transaction);
        // The key's primary key allows one hub contact per vendor id: a second contact of the same person keeps no mapping.
        var stored = await connection.ExecuteAsync(
            "INSERT INTO contact_keys (workspace_id, kind, value, contact_id) SELECT workspace_id, @kind, @externalId, id FROM contacts WHERE id = @contactId ON CONFLICT DO NOTHING",
            new { contactId, kind, externalId }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return stored > 0;
    }

    public async Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken = default)
    {
        var id = NewId("conv");
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO conversations (id, workspace_id, channel, channel_instance, contact_id, mode, priority, created_at, updated_at) VALUES (@id, @WorkspaceId, @Channel, @ChannelInstance, @ContactId, 'bot', @Priority, @now, @now)",
            new { id, conversation.WorkspaceId, conversation.Channel, conversation.ChannelInstance, conversation.ContactId, conversation.Priority, now }, transaction);
        await InsertEventAsync(connection, transaction, conversation.WorkspaceId, id, ConversationEventKinds.Created,
            new { conversation.Channel, conversation.ChannelInstance }, now);
        await transaction.CommitAsync(cancellationToken);
        return (await GetConversationAsync(id, cancellationToken))!;
    }

    public async Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await ReadConversationAsync(connection, null, conversationId);
    }

    static async Task<Conversation?> ReadConversationAsync(DbConnection connection, DbTransaction? transaction, string conversationId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ConversationRow>(
            $"SELECT {ConversationColumns} FROM conversations WHERE id = @conversationId", new { conversationId }, transaction);
        if (row is null) return null;
        var tickets = await connection.QueryAsync<TicketRow>(
            "SELECT connector_id, external_id, url FROM conversation_tickets WHERE conversation_id = @conversationId ORDER BY connector_id",
            new { conversationId }, transaction);
        return row.ToConversation(tickets.Select(t => new TicketReference(t.ConnectorId, t.ExternalId, t.Url)).ToList());
    }

    public async Task<string?> GetConversationContactAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        if (owners.TryGetValue(conversationId, out var cached)) return cached;
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var contactId = await connection.QuerySingleOrDefaultAsync<string>("SELECT contact_id FROM conversations WHERE id = @conversationId", new { conversationId });
        if (contactId is null) return null;
        if (owners.Count > 100_000) owners.Clear(); // bounded: a cold entry costs one indexed read
        return owners[conversationId] = contactId;
    }

    public async Task<IReadOnlyList<Conversation>> ListConversationsAsync(string contactId, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(
            "SELECT id FROM conversations WHERE contact_id = @contactId ORDER BY created_at DESC, id DESC LIMIT @limit", new { contactId, limit });
        var result = new List<Conversation>();
        foreach (var id in ids) result.Add((await ReadConversationAsync(connection, null, id))!);
        return result;
    }

    public Task<AppendResult> AppendMessageAsync(NewMessage message, CancellationToken cancellationToken = default) =>
        writer.AppendAsync(message, cancellationToken);

    public async Task<IReadOnlyList<Message>> GetMessagesAsync(string conversationId, long afterSequence = 0, int limit = 500, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MessageRow>(
            $"SELECT {MessageColumns} FROM messages WHERE conversation_id = @conversationId AND seq > @afterSequence ORDER BY seq LIMIT @limit",
            new { conversationId, afterSequence, limit });
        return rows.Select(r => r.ToMessage()).ToList();
    }

    public async Task<IReadOnlyList<string>> ListAwaitingBotAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // A scan of the conversations written in the window (run once per start, not per message): an index on
        // updated_at would cost every message commit its upkeep.
        return (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT c.id FROM conversations c
            WHERE c.mode = 'bot' AND c.updated_at >= @since AND c.updated_at < @until
              AND (SELECT m.author FROM messages m WHERE m.conversation_id = c.id AND m.visibility = 'public' ORDER BY m.seq DESC LIMIT 1) = 'customer'
            ORDER BY c.updated_at LIMIT @limit
            """, new { since, until, limit }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<Conversation> UpdateConversationAsync(string conversationId, ConversationUpdate update, string eventKind, object? eventData = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<ConversationRow>(
            $"SELECT {ConversationColumns} FROM conversations WHERE id = @conversationId{dialect.ForUpdate}", new { conversationId }, transaction)
            ?? throw new ConversationNotFoundException(conversationId);
        var mode = update.Mode?.ToText() ?? before.Mode;
        // closed_at marks the latest close; reopening clears it.
        var closedAt = update.Mode switch { ConversationMode.Closed => now, null => before.ClosedAt, _ => (DateTimeOffset?)null };
        await connection.ExecuteAsync(
            """
            UPDATE conversations SET mode = @mode, intent = COALESCE(@Intent, intent), priority = COALESCE(@Priority, priority),
                queue = COALESCE(@Queue, queue), bot_state = COALESCE(@BotState, bot_state), closed_at = @closedAt, updated_at = @now
            WHERE id = @conversationId
            """,
            new { mode, update.Intent, update.Priority, update.Queue, update.BotState, closedAt, now, conversationId }, transaction);
        var data = eventData ?? (update.Mode is not null && mode != before.Mode ? new { from = before.Mode, to = mode } : new { });
        await InsertEventAsync(connection, transaction, before.WorkspaceId, conversationId, eventKind, data, now);
        if (update.Ticket is { } ticket)
            await SqlTicketSyncStore.InsertAsync(connection, transaction, conversationId, before.WorkspaceId, ticket, before.LastSeq, now);
        var after = (await ReadConversationAsync(connection, transaction, conversationId))!;
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    public async Task MarkReadAsync(string conversationId, bool byCustomer, long sequence, CancellationToken cancellationToken = default)
    {
        var column = byCustomer ? "customer_read_seq" : "agent_read_seq";
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var found = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM conversations WHERE id = @conversationId", new { conversationId });
        if (found == 0) throw new ConversationNotFoundException(conversationId);
        // Never past the newest message, never backwards.
        await connection.ExecuteAsync(
            $"UPDATE conversations SET {column} = CASE WHEN @sequence > last_seq THEN last_seq ELSE @sequence END WHERE id = @conversationId AND {column} < @sequence",
            new { conversationId, sequence });
    }

    public async Task LinkTicketAsync(string conversationId, TicketReference ticket, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var workspaceId = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT workspace_id FROM conversations WHERE id = @conversationId", new { conversationId }, transaction)
            ?? throw new ConversationNotFoundException(conversationId);
        await connection.ExecuteAsync(
            """
            INSERT INTO conversation_tickets (conversation_id, connector_id, external_id, url, created_at) VALUES (@conversationId, @ConnectorId, @ExternalId, @Url, @now)
            ON CONFLICT (conversation_id, connector_id) DO UPDATE SET external_id = excluded.external_id, url = excluded.url
            """,
            new { conversationId, ticket.ConnectorId, ticket.ExternalId, ticket.Url, now }, transaction);
        await InsertEventAsync(connection, transaction, workspaceId, conversationId, ConversationEventKinds.TicketLinked, ticket, now);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> AppendEventAsync(string conversationId, string kind, object? data = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var workspaceId = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT workspace_id FROM conversations WHERE id = @conversationId", new { conversationId })
            ?? throw new ConversationNotFoundException(conversationId);
        return await InsertEventAsync(connection, null, workspaceId, conversationId, kind, data ?? new { }, time.GetUtcNow());
    }

    /// <summary>Appends to the event log inside the caller's transaction (also used by the SLA store for its warnings and breaches).</summary>
    internal static Task<long> InsertEventAsync(DbConnection connection, DbTransaction? transaction, string workspaceId, string conversationId, string kind, object data, DateTimeOffset now) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO conversation_events (workspace_id, conversation_id, kind, data, created_at) VALUES (@workspaceId, @conversationId, @kind, @data, @now) RETURNING id",
            new { workspaceId, conversationId, kind, data = StoredJson.Write(data), now }, transaction);

    public async Task<IReadOnlyList<ConversationEvent>> GetEventsAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(
            "SELECT id, workspace_id, conversation_id, kind, data, created_at FROM conversation_events WHERE conversation_id = @conversationId ORDER BY id",
            new { conversationId });
        return rows.Select(r => new ConversationEvent(r.Id, r.WorkspaceId, r.ConversationId, r.Kind, r.Data, r.CreatedAt)).ToList();
    }

    public async Task<StoredAttachment> SaveAttachmentAsync(string conversationId, string fileName, string contentType, byte[] content, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var id = NewId("att");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var workspaceId = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT workspace_id FROM conversations WHERE id = @conversationId", new { conversationId })
            ?? throw new ConversationNotFoundException(conversationId);
        await connection.ExecuteAsync(
            "INSERT INTO attachments (id, workspace_id, conversation_id, file_name, content_type, size_bytes, sha256, content, created_at) VALUES (@id, @workspaceId, @conversationId, @fileName, @contentType, @size, @sha256, @content, @now)",
            new { id, workspaceId, conversationId, fileName, contentType, size = (long)content.Length, sha256, content, now });
        return new StoredAttachment(new AttachmentInfo(id, fileName, contentType, content.Length), workspaceId, conversationId, sha256, now);
    }

    public async Task<(StoredAttachment Attachment, byte[] Content)?> GetAttachmentAsync(string attachmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AttachmentRow>(
            "SELECT id, workspace_id, conversation_id, file_name, content_type, size_bytes, sha256, content, created_at FROM attachments WHERE id = @attachmentId",
            new { attachmentId });
        if (row is null) return null;
        return (new StoredAttachment(new AttachmentInfo(row.Id, row.FileName, row.ContentType, row.SizeBytes), row.WorkspaceId, row.ConversationId, row.Sha256, row.CreatedAt), row.Content);
    }

    public async Task<string> GetOrCreateSecretAsync(string name, Func<string> create, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        // First writer wins; every node then reads the same value.
        await connection.ExecuteAsync("INSERT INTO hub_secrets (name, value, created_at) VALUES (@name, @value, @now) ON CONFLICT DO NOTHING",
            new { name, value = create(), now = time.GetUtcNow() });
        return await connection.QuerySingleAsync<string>("SELECT value FROM hub_secrets WHERE name = @name", new { name });
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
