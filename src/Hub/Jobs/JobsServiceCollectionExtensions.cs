using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Csat;
using IntegrationHub.Hub.Retention;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using Quartz;

namespace IntegrationHub.Hub.Jobs;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Quartz on the hub's own database: the ADO job store on SQLite (embedded) or PostgreSQL
    /// (clustered, so several nodes share one set of jobs and a dead node's jobs are recovered).
    /// The qrtz_ tables are created at start when missing.
    /// </summary>
    public static IServiceCollection AddHubJobs(this IServiceCollection services, SqlDialect dialect, IConfiguration hubSection)
    {
        services.Configure<TranscriptSyncOptions>(hubSection.GetSection("TranscriptSync"));
        services.AddSingleton<SqlTranscriptSyncStore>();
        services.AddSingleton<TranscriptSyncService>();
        services.AddSingleton<TranscriptSyncScheduler>();
        services.AddSingleton<IConversationModeListener>(sp => sp.GetRequiredService<TranscriptSyncScheduler>());
        services.Configure<SlaOptions>(hubSection.GetSection("Sla"));
        services.AddSingleton<SqlSlaStore>();
        services.AddSingleton<SlaService>();
        services.AddSingleton<SlaBreachActions>();
        services.AddSingleton<SlaActionRunner>();
        services.AddSingleton<SlaTimerScheduler>();
        services.AddSingleton<IConversationModeListener>(sp => sp.GetRequiredService<SlaTimerScheduler>());
        services.Configure<CsatOptions>(hubSection.GetSection("Csat"));
        services.AddSingleton<SqlCsatStore>();
        services.AddSingleton<CsatService>();
        services.AddSingleton<CsatScheduler>();
        services.AddSingleton<IConversationModeListener>(sp => sp.GetRequiredService<CsatScheduler>());
        services.Configure<RetentionOptions>(hubSection.GetSection("Retention"));
        services.AddSingleton<RetentionService>();
        services.AddQuartz(quartz =>
        {
            // Work booked by another node is only seen by polling: poll every 5 s instead of the default 30 s.
            quartz.ConfigureScheduler(scheduler => scheduler.IdleWaitTime = TimeSpan.FromSeconds(5));
            // On PostgreSQL firings wait on round trips, not CPU: more in flight drain a burst of due timers faster.
            // SQLite has one writer, so it keeps Quartz's default.
            if (dialect is PostgresDialect) quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = 20);
            quartz.UsePersistentStore(store =>
            {
                if (dialect is PostgresDialect)
                {
                    store.UsePostgres(dialect.ConnectionString);
                    store.UseClustering();
                    // Booking a trigger is an insert the database isolates, and firing rounds here claim rows without
                    // the cluster-wide lock anyway: taking it for every insert only queued bookings behind each other.
                    // (SQLite keeps it: its in-process lock lines Quartz's writers up instead of colliding on the file.)
                    store.ConfigureStore(options => options.LockOnInsert = false);
                }
                else
                {
                    store.UseSqlite(dialect.ConnectionString);
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        // Jobs that are running at shutdown finish; a killed process is recovered instead (RequestRecovery).
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddHostedService<QuartzTriggerIndexes>();
        services.AddHostedService<RetentionSchedule>();
        services.AddHostedService<TranscriptSyncSweep>();
        services.AddHostedService<SlaActionSweep>();
        return services;
    }

    /// <summary>
    /// Indexes Quartz's own schema lacks, added once it has created its tables (this starts after Quartz's hosted
    /// service). Each firing looks up the triggers waiting to continue after it; without an index that reads every
    /// pending trigger, so with 100,000 SLA timers booked every firing cost a scan and firing slowed as they piled up.
    /// </summary>
    sealed class QuartzTriggerIndexes(SqlDialect dialect) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var connection = await dialect.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE INDEX IF NOT EXISTS idx_qrtz_t_continues ON qrtz_triggers (sched_name, continues_trigger_name, continues_trigger_group)";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
