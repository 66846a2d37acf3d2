using System.Data.Common;
using Dapper;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// The schema, as numbered steps applied in order at start. Never edit a released step: add one.
/// Type tokens ({ts}, {bigint}, {blob}, {serial}) are filled in by the dialect.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> Steps =
    [
        (1, "conversations", """
            CREATE TABLE workspaces (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                created_at {ts} NOT NULL);
            INSERT INTO workspaces (id, name, created_at) VALUES ('default', 'Default workspace', CURRENT_TIMESTAMP);

            CREATE TABLE contacts (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                name TEXT,
                emails TEXT NOT NULL DEFAULT '[]',
                phones TEXT NOT NULL DEFAULT '[]',
                identity_status TEXT NOT NULL DEFAULT 'anonymous',
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL);

            -- Every way to find a contact: email, phone, visitor:<site>, external:<connector>.
            CREATE TABLE contact_keys (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                contact_id TEXT NOT NULL REFERENCES contacts (id),
                PRIMARY KEY (workspace_id, kind, value));
            CREATE INDEX ix_contact_keys_contact ON contact_keys (contact_id);

            CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                channel TEXT NOT NULL,
                channel_instance TEXT,
                contact_id TEXT NOT NULL REFERENCES contacts (id),
                mode TEXT NOT NULL,
                intent TEXT,
                priority TEXT NOT NULL DEFAULT 'normal',
                queue TEXT,
                last_seq {bigint} NOT NULL DEFAULT 0,
                customer_read_seq {bigint} NOT NULL DEFAULT 0,
                agent_read_seq {bigint} NOT NULL DEFAULT 0,
                bot_state TEXT,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                first_bot_reply_at {ts},
                first_human_reply_at {ts},
                closed_at {ts});
            CREATE INDEX ix_conversations_contact ON conversations (contact_id, created_at);

            CREATE TABLE conversation_tickets (
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                connector_id TEXT NOT NULL,
                external_id TEXT NOT NULL,
                url TEXT,
                created_at {ts} NOT NULL,
                PRIMARY KEY (conversation_id, connector_id));
            CREATE INDEX ix_conversation_tickets_external ON conversation_tickets (connector_id, external_id);

            CREATE TABLE messages (
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                seq {bigint} NOT NULL,
                author TEXT NOT NULL,
                visibility TEXT NOT NULL,
                body TEXT NOT NULL,
                author_name TEXT,
                attachments TEXT,
                provider_message_id TEXT,
                created_at {ts} NOT NULL,
                PRIMARY KEY (conversation_id, seq));
            CREATE UNIQUE INDEX ux_messages_provider_id ON messages (conversation_id, provider_message_id)
                WHERE provider_message_id IS NOT NULL;

            -- Append-only: the store has no UPDATE or DELETE for it.
            CREATE TABLE conversation_events (
                id {serial},
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                kind TEXT NOT NULL,
                data TEXT NOT NULL,
                created_at {ts} NOT NULL);
            CREATE INDEX ix_conversation_events_conversation ON conversation_events (conversation_id, id);

            CREATE TABLE attachments (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size_bytes {bigint} NOT NULL,
                sha256 TEXT NOT NULL,
                content {blob} NOT NULL,
                created_at {ts} NOT NULL);

            CREATE TABLE hub_secrets (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                created_at {ts} NOT NULL);
            """),
        (2, "bot", """
            -- One counter per workspace and kind (intents, knowledge): every write advances it in the
            -- same transaction, and each node rebuilds its classifier or index when the value it reads moves.
            CREATE TABLE bot_revisions (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                revision {bigint} NOT NULL,
                PRIMARY KEY (workspace_id, kind));

            CREATE TABLE bot_intents (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                display_name TEXT NOT NULL,
                routing TEXT NOT NULL,
                examples TEXT NOT NULL,
                fields TEXT NOT NULL DEFAULT '[]',
                answer TEXT,
                updated_at {ts} NOT NULL,
                PRIMARY KEY (workspace_id, name));

            CREATE TABLE knowledge_sources (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                location TEXT,
                base_url TEXT,
                title TEXT,
                enabled {bigint} NOT NULL DEFAULT 1,
                updated_at {ts} NOT NULL,
                PRIMARY KEY (workspace_id, id));

            -- No foreign key to knowledge_sources: the indexer owns chunks, and removes them itself.
            CREATE TABLE knowledge_chunks (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                source_id TEXT NOT NULL,
                document_id TEXT NOT NULL,
                ordinal {bigint} NOT NULL,
                title TEXT NOT NULL,
                heading TEXT NOT NULL,
                text TEXT NOT NULL,
                url TEXT,
                content_hash TEXT NOT NULL,
                embedding {blob},
                PRIMARY KEY (workspace_id, source_id, document_id, ordinal));
            """),
        (3, "contact segments", """
            -- Segments (e.g. vip) route and prioritise a contact's conversations; JSON array of names.
            ALTER TABLE contacts ADD COLUMN segments TEXT NOT NULL DEFAULT '[]';
            """),
        (4, "transcript sync", """
            -- Per conversation and receiving connector: the truth the transcript sync job carries out.
            -- state: pending | synced | failed (retry at next_attempt_at) | dead (retry budget spent; admin retries).
            CREATE TABLE transcript_syncs (
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                connector_id TEXT NOT NULL,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                state TEXT NOT NULL,
                target_version {bigint} NOT NULL,
                synced_version {bigint} NOT NULL DEFAULT 0,
                attempts {bigint} NOT NULL DEFAULT 0,
                next_attempt_at {ts},
                last_error TEXT,
                ticket_id TEXT,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                PRIMARY KEY (conversation_id, connector_id));
            CREATE INDEX ix_transcript_syncs_state ON transcript_syncs (state, updated_at);
            """),
        (5, "sla", """
            -- Working time per workspace and id; weekly = JSON [{day, start, end}], holidays = JSON ["2026-12-25"].
            CREATE TABLE business_calendars (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                id TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                weekly TEXT NOT NULL,
                holidays TEXT NOT NULL DEFAULT '[]',
                updated_at {ts} NOT NULL,
                PRIMARY KEY (workspace_id, id));

            -- queue, priority, channel: NULL matches any; the most specific policy wins. Targets in business minutes.
            CREATE TABLE sla_policies (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                id TEXT NOT NULL,
                queue TEXT,
                priority TEXT,
                channel TEXT,
                calendar_id TEXT,
                first_response_minutes {bigint},
                next_response_minutes {bigint},
                resolution_minutes {bigint},
                warning_percent {bigint} NOT NULL DEFAULT 80,
                breach_actions TEXT NOT NULL DEFAULT '[]',
                updated_at {ts} NOT NULL,
                PRIMARY KEY (workspace_id, id));

            -- One timer per conversation and kind (first_response | next_response | resolution).
            -- consumed_seconds: business time counted up to running_since; running_since NULL while paused or stopped.
            CREATE TABLE sla_timers (
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                kind TEXT NOT NULL,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                policy_id TEXT NOT NULL,
                calendar_id TEXT,
                target_seconds {bigint} NOT NULL,
                warning_percent {bigint} NOT NULL,
                consumed_seconds {bigint} NOT NULL DEFAULT 0,
                running_since {ts},
                state TEXT NOT NULL,
                due_at {ts},
                warned_at {ts},
                breached_at {ts},
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                PRIMARY KEY (conversation_id, kind));
            CREATE INDEX ix_sla_timers_due ON sla_timers (state, due_at);
            """),
        (6, "csat", """
            -- One survey per conversation, ever (the primary key): scheduled -> sent -> answered.
            -- bot_only: nobody human took part, so contained and human conversations are reported apart.
            CREATE TABLE csat_surveys (
                conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                channel TEXT NOT NULL,
                bot_only {bigint} NOT NULL,
                state TEXT NOT NULL,
                scheduled_for {ts} NOT NULL,
                sent_at {ts},
                rating {bigint},
                comment TEXT,
                answered_at {ts},
                pushed_at {ts},
                push_error TEXT,
                created_at {ts} NOT NULL);
            CREATE INDEX ix_csat_surveys_state ON csat_surveys (workspace_id, state);
            """),
        (7, "retention", """
            -- What each retention run removed.
            CREATE TABLE retention_runs (
                id {serial},
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                mode TEXT NOT NULL,
                started_at {ts} NOT NULL,
                finished_at {ts} NOT NULL,
                conversations {bigint} NOT NULL,
                messages {bigint} NOT NULL,
                attachments {bigint} NOT NULL,
                details TEXT NOT NULL);

            -- The event log's counts survive a purge: events per workspace, kind and UTC day are folded in here first.
            CREATE TABLE event_counts (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                day TEXT NOT NULL,
                count {bigint} NOT NULL,
                PRIMARY KEY (workspace_id, kind, day));

            -- Set when retention anonymised the conversation (its messages are blanked, its attachments gone).
            ALTER TABLE conversations ADD COLUMN anonymised_at {ts};
            """),
        (8, "helpdesk", """
            -- The durable outbox of the helpdesk loop, one row per conversation and ticketing connector:
            -- the packet to create the ticket with, and "customer messages synced up to seq N". A row is
            -- due while it has no ticket or synced_seq < wanted_seq; next_attempt_at is both the backoff
            -- and the lease a node takes while working on it.
            CREATE TABLE ticket_sync (
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                connector_id TEXT NOT NULL,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                route TEXT NOT NULL,
                queue TEXT,
                packet TEXT NOT NULL,
                external_id TEXT,
                synced_seq {bigint} NOT NULL,
                wanted_seq {bigint} NOT NULL,
                attempts {bigint} NOT NULL DEFAULT 0,
                next_attempt_at {ts} NOT NULL,
                last_error TEXT,
                delay_notified {bigint} NOT NULL DEFAULT 0,
                created_at {ts} NOT NULL,
                ticket_created_at {ts},
                PRIMARY KEY (conversation_id, connector_id));
            CREATE INDEX ix_ticket_sync_due ON ticket_sync (next_attempt_at);
            CREATE INDEX ix_ticket_sync_queue ON ticket_sync (queue, created_at);

            -- Inbound helpdesk webhooks, persisted before the 2xx: the primary key de-duplicates
            -- redeliveries; processed_at is null until the dispatcher has applied the event.
            CREATE TABLE webhook_events (
                connector_id TEXT NOT NULL,
                vendor_event_id TEXT NOT NULL,
                ordinal {bigint} NOT NULL,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                kind TEXT NOT NULL,
                ticket_external_id TEXT NOT NULL,
                body TEXT,
                author_name TEXT,
                status TEXT,
                occurred_at {ts} NOT NULL,
                received_at {ts} NOT NULL,
                attempts {bigint} NOT NULL DEFAULT 0,
                last_error TEXT,
                processed_at {ts},
                PRIMARY KEY (connector_id, vendor_event_id, ordinal));
            CREATE INDEX ix_webhook_events_pending ON webhook_events (processed_at, received_at);
            """),
        (9, "outbound_webhooks", """
            -- Outbound webhook subscriptions (admin API) and their delivery log, which is also the queue:
            -- a delivery is due while it has neither delivered_at nor gave_up_at and next_attempt_at has passed.
            CREATE TABLE webhook_subscriptions (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                events TEXT NOT NULL,
                enabled {bigint} NOT NULL DEFAULT 1,
                disabled_reason TEXT,
                consecutive_failures {bigint} NOT NULL DEFAULT 0,
                created_at {ts} NOT NULL);

            CREATE TABLE webhook_deliveries (
                id {serial},
                subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
                event TEXT NOT NULL,
                payload TEXT NOT NULL,
                attempts {bigint} NOT NULL DEFAULT 0,
                next_attempt_at {ts} NOT NULL,
                delivered_at {ts},
                gave_up_at {ts},
                last_status {bigint},
                last_response TEXT,
                last_error TEXT,
                created_at {ts} NOT NULL);
            CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at);
            CREATE INDEX ix_webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
            """),
        (10, "ticket_history", """
            -- How far the hub has read each polled ticket's history (helpdesks without webhooks, e.g. Request
            -- Tracker): the connector's opaque cursor, moved only after the events read are stored in
            -- webhook_events. next_poll_at is both the schedule and the lease a node takes while it reads
            -- (compare-and-set, as in ticket_sync). No foreign key: retention may purge the conversation,
            -- and the poller only reads tickets of conversations that exist.
            CREATE TABLE ticket_history_cursors (
                connector_id TEXT NOT NULL,
                external_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                history_cursor TEXT,
                next_poll_at {ts} NOT NULL,
                failures {bigint} NOT NULL DEFAULT 0,
                last_error TEXT,
                polled_at {ts},
                PRIMARY KEY (connector_id, external_id));
            CREATE INDEX ix_ticket_history_cursors_due ON ticket_history_cursors (next_poll_at);
            """),
        (11, "closed conversations", """
            -- The transcript sync's sweep looks for recently closed conversations whose sync was never booked.
            CREATE INDEX ix_conversations_closed ON conversations (closed_at);
            """),
        (14, "sla actions owed", """
            -- The side effects of an SLA warning or breach (outbound events, ticket actions), owed from the commit that
            -- recorded the warning or breach on the timer row until they have run. NULL: nothing owed; else the instant
            -- they are due, which is also the lease a node holds while running them (compare-and-set, as in ticket_sync).
            -- warned_business_seconds: business time used at the warning, for its event when it is sent late.
            ALTER TABLE sla_timers ADD COLUMN warning_actions_due_at {ts};
            ALTER TABLE sla_timers ADD COLUMN breach_actions_due_at {ts};
            ALTER TABLE sla_timers ADD COLUMN warned_business_seconds {bigint};
            -- Partial: almost every timer owes nothing, so the sweep's look costs next to nothing on an idle database.
            CREATE INDEX ix_sla_timers_warning_actions ON sla_timers (warning_actions_due_at) WHERE warning_actions_due_at IS NOT NULL;
            CREATE INDEX ix_sla_timers_breach_actions ON sla_timers (breach_actions_due_at) WHERE breach_actions_due_at IS NOT NULL;
            """),
    ];

    /// <summary>Applies the missing steps, each in its own transaction; returns how many ran.</summary>
    public static async Task<int> ApplyAsync(SqlDialect dialect, CancellationToken cancellationToken = default)
    {
        if (dialect is SqliteDialect sqlite) await sqlite.EnableWalAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(dialect.Ddl(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {ts} NOT NULL)"));
        var applied = 0;
        foreach (var (version, name, sql) in Steps)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await dialect.BeforeMigrateAsync(connection, transaction, cancellationToken);
            var done = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
            if (done > 0) continue;
            await connection.ExecuteAsync(dialect.Ddl(sql), transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version, name, now = DateTimeOffset.UtcNow }, transaction);
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }
        return applied;
    }

    public static int Latest => Steps[^1].Version;
}
