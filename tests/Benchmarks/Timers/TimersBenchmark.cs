using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Extensions;
using IntegrationHub.Hub.Sla;
using IntegrationHub.Hub.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;

namespace IntegrationHub.Benchmarks.Timers;

/// <summary>
/// <c>timers</c>: schedules N SLA first-response timers through the real hub (policy match, timer row, durable Quartz job)
/// on SQLite and, when HUB_TEST_POSTGRES is set, PostgreSQL; waits until every one has fired and breached, and reports
/// memory, scheduling rate, firing rate and firing lateness p50/p99 (breach instant minus due instant), beside Quartz's
/// raw one-off trigger throughput (a no-op job) measured on the same store in the same run.
/// Options: <c>--timers N</c> (100000), <c>--target-minutes M</c> (2; every timer is due M minutes after it starts),
/// <c>--concurrency N</c> (8), <c>--raw N</c> (10000 raw triggers), <c>--timeout-minutes M</c> (60).
/// </summary>
public static class TimersBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var timers = options.Get("timers", 100_000);
        var targetMinutes = options.Get("target-minutes", 2);
        var concurrency = options.Get("concurrency", 8);
        var raw = options.Get("raw", 10_000);
        var timeout = TimeSpan.FromMinutes(options.Get("timeout-minutes", 60));
        var results = new List<Dictionary<string, object?>>();
        var postgres = Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES");
        foreach (var backend in string.IsNullOrEmpty(postgres) ? ["sqlite"] : new[] { "sqlite", "postgres" })
        {
            var (connectionString, drop) = await DatabaseAsync(backend, postgres);
            try
            {
                results.Add(await RunBackendAsync(backend, connectionString, timers, targetMinutes, concurrency, raw, timeout));
            }
            finally
            {
                await drop();
            }
        }
        if (string.IsNullOrEmpty(postgres)) Console.WriteLine("PostgreSQL skipped: set HUB_TEST_POSTGRES to an Npgsql connection string to include it.");
        Console.WriteLine(JsonSerializer.Serialize(new { benchmark = "timers", timers, targetMinutes, results }));
        return results.All(r => (long)r["fired"]! == timers) ? 0 : 1;
    }

    static async Task<Dictionary<string, object?>> RunBackendAsync(string backend, string connectionString, int count, int targetMinutes, int concurrency, int raw, TimeSpan timeout)
    {
        var hub = await BenchmarkHub.StartAsync(connectionString, """{ "connectors": [ { "id": "web", "type": "webchat", "settings": {} } ] }""", raiseLimits: false);
        try
        {
            return await MeasureAsync(backend, hub.Services, count, targetMinutes, concurrency, raw, timeout);
        }
        finally
        {
            // Stop (Quartz included) before the database is dropped.
            await hub.DisposeAsync();
        }
    }

    static async Task<Dictionary<string, object?>> MeasureAsync(string backend, IServiceProvider services, int count, int targetMinutes, int concurrency, int raw, TimeSpan timeout)
    {
        var store = services.GetRequiredService<IConversationStore>();
        var slas = services.GetRequiredService<SqlSlaStore>();
        var listener = services.GetServices<IConversationModeListener>().OfType<SlaTimerScheduler>().Single();
        var dialect = services.GetRequiredService<SqlDialect>();
        await slas.PutPolicyAsync("default", new SlaPolicy("bench", null, null, null, null, targetMinutes, null, null, 100, []));

        // Conversations waiting for a human (not timed): the timers start from these.
        Console.WriteLine($"[{backend}] preparing {count:N0} queued conversations…");
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:bench", "bench"), new ContactDetails());
        var queued = new Conversation[count];
        await ParallelAsync(count, concurrency, async i =>
        {
            var created = await store.CreateConversationAsync(new NewConversation("default", "webchat", "web", contact.Id));
            queued[i] = await store.UpdateConversationAsync(created.Id, new ConversationUpdate(Mode: ConversationMode.Queued), ConversationEventKinds.Handoff);
        });

        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        await ParallelAsync(count, concurrency, i => listener.OnModeChangedAsync(queued[i]));
        var scheduling = watch.Elapsed;
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: false);
        Console.WriteLine($"[{backend}] scheduled {count:N0} timers in {scheduling.TotalSeconds:F1} s ({count / scheduling.TotalSeconds:F0}/s); waiting for them to fire…");

        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + timeout + TimeSpan.FromMinutes(targetMinutes);
        long fired;
        while ((fired = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_timers WHERE state = 'breached'")) < count && DateTime.UtcNow < deadline)
            await Task.Delay(1000);
        var rows = (await connection.QueryAsync<(object CreatedAt, object? BreachedAt, long TargetSeconds)>(
            "SELECT created_at, breached_at, target_seconds FROM sla_timers")).ToList();
        var lateness = rows.Where(r => r.BreachedAt is not null)
            .Select(r => (DateTimeOffsetHandler.Read(r.BreachedAt!) - DateTimeOffsetHandler.Read(r.CreatedAt).AddSeconds(r.TargetSeconds)).TotalMilliseconds)
            .Order().ToArray();
        var breachedTimes = rows.Where(r => r.BreachedAt is not null).Select(r => DateTimeOffsetHandler.Read(r.BreachedAt!)).Order().ToArray();
        var dueTimes = rows.Select(r => DateTimeOffsetHandler.Read(r.CreatedAt).AddSeconds(r.TargetSeconds)).Order().ToArray();
        // Firing rate over the window in which timers were due or firing: first due instant to last breach.
        var firingWindow = breachedTimes.Length > 0 ? (breachedTimes[^1] - dueTimes[0]).TotalSeconds : double.NaN;
        var peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;

        var (rawScheduleRate, rawFireRate) = await RawQuartzAsync(services.GetRequiredService<ISchedulerFactory>(), raw, concurrency);

        var result = new Dictionary<string, object?>
        {
            ["backend"] = backend,
            ["fired"] = fired,
            ["schedulingPerSecond"] = Math.Round(count / scheduling.TotalSeconds, 1),
            ["firingPerSecond"] = Math.Round(fired / Math.Max(firingWindow, 0.001), 1),
            ["latenessP50Ms"] = Math.Round(Percentile(lateness, 50), 1),
            ["latenessP99Ms"] = Math.Round(Percentile(lateness, 99), 1),
            ["managedMemoryGrowthMb"] = Math.Round((memoryAfter - memoryBefore) / 1048576.0, 1),
            ["peakWorkingSetMb"] = Math.Round(peakWorkingSet / 1048576.0, 1),
            ["quartzRawSchedulingPerSecond"] = Math.Round(rawScheduleRate, 1),
            ["quartzRawFiringPerSecond"] = Math.Round(rawFireRate, 1),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{backend}] fired {fired:N0}/{count:N0}; firing {result["firingPerSecond"]}/s; lateness p50 {result["latenessP50Ms"]} ms, p99 {result["latenessP99Ms"]} ms; " +
            $"memory +{result["managedMemoryGrowthMb"]} MB managed, peak working set {result["peakWorkingSetMb"]} MB; " +
            $"Quartz raw: scheduling {result["quartzRawSchedulingPerSecond"]}/s, firing {result["quartzRawFiringPerSecond"]}/s"));
        return result;
    }

    /// <summary>N one-off triggers of a no-op job, all due 2 s after scheduling ends: what Quartz alone does on this store.</summary>
    static async Task<(double Scheduling, double Firing)> RawQuartzAsync(ISchedulerFactory factory, int count, int concurrency)
    {
        var scheduler = await factory.GetScheduler();
        RawFireJob.Reset();
        var start = DateTimeOffset.UtcNow.AddSeconds(30); // far enough that scheduling finishes first for moderate N
        var watch = Stopwatch.StartNew();
        await ParallelAsync(count, concurrency, async i =>
        {
            var job = JobBuilder.Create<RawFireJob>().WithIdentity($"raw-{i}", "bench-raw").Build();
            await scheduler.ScheduleJob(job, TriggerBuilder.Create().ForJob(job).StartAt(start).Build(), new ScheduleJobOptions());
        });
        var scheduling = count / watch.Elapsed.TotalSeconds;
        while (DateTimeOffset.UtcNow < start) await Task.Delay(50);
        var fireWatch = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (RawFireJob.Fired < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        return (scheduling, RawFireJob.Fired / fireWatch.Elapsed.TotalSeconds);
    }

    static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    static async Task ParallelAsync(int count, int concurrency, Func<int, Task> body)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next)) await body(i);
        }));
    }

    static async Task<(string ConnectionString, Func<Task> Drop)> DatabaseAsync(string backend, string? server)
    {
        if (backend == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("hub-bench-timers-");
            return ($"Data Source={Path.Combine(folder.FullName, "hub.db")}", () =>
            {
                SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
                return Task.CompletedTask;
            });
        }
        var name = $"hub_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString(), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        });
    }
}
