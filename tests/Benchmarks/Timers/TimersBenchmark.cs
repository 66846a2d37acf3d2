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
/// <c>timers</c>: N SLA first-response timers through the real hub on SQLite and, when HUB_TEST_POSTGRES is set,
/// PostgreSQL. Each timer is a real queued conversation going through the hub's own mode listener (policy match,
/// timer row, Quartz trigger), due <c>--target-minutes</c> after it started, so due instants spread over the
/// scheduling window and firing drains a backlog while booking goes on, as a burst of handoffs would. Reports
/// memory after scheduling, scheduling rate, firing rate (first due instant to last breach) and firing lateness
/// p50/p99 (breach instant minus due instant), beside Quartz's own one-off triggers of a no-op job booked and
/// fired the same way on the same store in the same run (<c>baseline</c>, and hub/baseline as <c>ratio</c>).
/// Options: <c>--count N</c> (100000; <c>--timers</c> also works), <c>--raw N</c> (baseline triggers, 10000),
/// <c>--target-minutes M</c> (1), <c>--concurrency N</c> (8 handoffs at a time), <c>--backends sqlite,postgres</c>,
/// <c>--timeout-minutes M</c> (60, per phase).
/// </summary>
public static class TimersBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchmarkArgs(args);
        var settings = new Settings(
            options.Get("count", options.Get("timers", 100_000)),
            options.Get("raw", 10_000),
            options.Get("target-minutes", 1),
            options.Get("concurrency", 8),
            TimeSpan.FromMinutes(options.Get("timeout-minutes", 60)));
        var postgres = Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES");
        var wanted = options.Get("backends", "sqlite,postgres").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var total = Stopwatch.StartNew();
        var results = new List<Dictionary<string, object?>>();
        foreach (var backend in wanted)
        {
            if (backend == "postgres" && string.IsNullOrEmpty(postgres))
            {
                Console.WriteLine("PostgreSQL skipped: set HUB_TEST_POSTGRES to an Npgsql connection string to include it.");
                continue;
            }
            var (connectionString, drop) = await DatabaseAsync(backend, postgres);
            try
            {
                var backendWatch = Stopwatch.StartNew();
                var result = await RunBackendAsync(backend, connectionString, settings);
                result["durationSeconds"] = Math.Round(backendWatch.Elapsed.TotalSeconds);
                results.Add(result);
            }
            finally
            {
                await drop();
            }
        }
        Console.WriteLine($"timers: whole run {total.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["benchmark"] = "timers",
            ["count"] = settings.Count,
            ["targetMinutes"] = settings.TargetMinutes,
            ["concurrency"] = settings.Concurrency,
            ["durationSeconds"] = Math.Round(total.Elapsed.TotalSeconds),
            ["results"] = results,
            // Per backend, the same figures as in results: Quartz alone on that store, and hub / Quartz.
            ["baseline"] = results.ToDictionary(r => (string)r["backend"]!, r => r["baseline"]),
            ["ratio"] = results.ToDictionary(r => (string)r["backend"]!, r => r["ratio"]),
        }));
        return results.Count > 0 && results.All(r => (long)r["fired"]! == settings.Count) ? 0 : 1;
    }

    sealed record Settings(int Count, int Raw, int TargetMinutes, int Concurrency, TimeSpan Timeout);

    static async Task<Dictionary<string, object?>> RunBackendAsync(string backend, string connectionString, Settings settings)
    {
        var hub = await BenchmarkHub.StartAsync(connectionString, """{ "connectors": [ { "id": "web", "type": "webchat", "settings": {} } ] }""", raiseLimits: false);
        try
        {
            var result = await MeasureHubAsync(backend, hub.Services, settings);
            var baseline = await MeasureQuartzAsync(backend, await hub.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(), settings);
            result["baseline"] = baseline;
            result["ratio"] = new Dictionary<string, object?>
            {
                ["scheduling"] = Math.Round((double)result["schedulingPerSecond"]! / (double)baseline["schedulingPerSecond"]!, 3),
                ["firing"] = Math.Round((double)result["firingPerSecond"]! / (double)baseline["firingPerSecond"]!, 3),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{backend}] hub / Quartz alone: scheduling {result["schedulingPerSecond"]}/s vs {baseline["schedulingPerSecond"]}/s, " +
                $"firing {result["firingPerSecond"]}/s vs {baseline["firingPerSecond"]}/s"));
            return result;
        }
        finally
        {
            // Stop (Quartz included) before the database is dropped.
            await hub.DisposeAsync();
        }
    }

    static async Task<Dictionary<string, object?>> MeasureHubAsync(string backend, IServiceProvider services, Settings settings)
    {
        var count = settings.Count;
        var store = services.GetRequiredService<IConversationStore>();
        var slas = services.GetRequiredService<SqlSlaStore>();
        var listener = services.GetServices<IConversationModeListener>().OfType<SlaTimerScheduler>().Single();
        var dialect = services.GetRequiredService<SqlDialect>();
        // No warning (100 %) and no resolution target: one look per timer, at its due instant.
        await slas.PutPolicyAsync("default", new SlaPolicy("bench", null, null, null, null, settings.TargetMinutes, null, null, 100, []));

        // Conversations waiting for a human (not timed). Written in bulk, the same columns the store writes, since
        // one transaction per conversation would take longer than the benchmark; read back through the store.
        Console.WriteLine($"[{backend}] preparing {count:N0} queued conversations…");
        var preparing = Stopwatch.StartNew();
        var contact = await store.FindOrCreateContactAsync("default", new ContactKey("visitor:bench", "bench"), new ContactDetails());
        var ids = Enumerable.Range(0, count).Select(i => $"conv_bench{i:D7}").ToArray();
        foreach (var chunk in ids.Chunk(2000))
        {
            await using var writer = await dialect.OpenAsync(CancellationToken.None);
            await using var transaction = await writer.BeginTransactionAsync();
            var now = DateTimeOffset.UtcNow;
            await writer.ExecuteAsync(
                "INSERT INTO conversations (id, workspace_id, channel, channel_instance, contact_id, mode, priority, created_at, updated_at) " +
                "VALUES (@id, 'default', 'webchat', 'web', @contactId, 'queued', 'normal', @now, @now)",
                chunk.Select(id => new { id, contactId = contact.Id, now }), transaction);
            await transaction.CommitAsync();
        }
        var queued = new Conversation[count];
        await ParallelAsync(count, settings.Concurrency, async i => queued[i] = (await store.GetConversationAsync(ids[i]))!);
        if (queued.Any(c => c.Mode != ConversationMode.Queued)) throw new InvalidOperationException("prepared conversations are not queued");
        var prepared = preparing.Elapsed;
        Console.WriteLine($"[{backend}] prepared in {prepared.TotalSeconds:F0} s; scheduling {count:N0} timers, {settings.Concurrency} handoffs at a time…");

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        await ParallelAsync(count, settings.Concurrency, i => listener.OnModeChangedAsync(queued[i]));
        var scheduling = watch.Elapsed;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        var workingSet = process.WorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{backend}] scheduled {count:N0} timers in {scheduling.TotalSeconds:F1} s ({count / scheduling.TotalSeconds:F0}/s); " +
            $"managed heap {Mb(heapAfter)} MB ({Mb(heapAfter - heapBefore):+0.0;-0.0} MB), working set {Mb(workingSet)} MB; waiting for them to fire…"));

        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + settings.Timeout + TimeSpan.FromMinutes(settings.TargetMinutes);
        long fired, reported = -1;
        var progress = Stopwatch.StartNew();
        while ((fired = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_timers WHERE state = 'breached'")) < count && DateTime.UtcNow < deadline)
        {
            if (progress.Elapsed > TimeSpan.FromSeconds(30) && fired != reported)
            {
                Console.WriteLine($"[{backend}]   {fired:N0} fired…");
                reported = fired;
                progress.Restart();
            }
            await Task.Delay(1000);
        }
        var rows = (await connection.QueryAsync<(object CreatedAt, object? BreachedAt, long TargetSeconds)>(
            "SELECT created_at, breached_at, target_seconds FROM sla_timers")).ToList();
        var firings = rows.Where(r => r.BreachedAt is not null)
            .Select(r => (Due: DateTimeOffsetHandler.Read(r.CreatedAt).AddSeconds(r.TargetSeconds), Fired: DateTimeOffsetHandler.Read(r.BreachedAt!)))
            .ToList();
        var firstDue = rows.Count == 0 ? DateTimeOffset.MaxValue : rows.Min(r => DateTimeOffsetHandler.Read(r.CreatedAt).AddSeconds(r.TargetSeconds));
        var (firingRate, p50, p99) = Firing(firings, firstDue);
        var lingering = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = @group", new { group = SlaTimerScheduler.Group });
        // The finished timers' durable jobs go in bulk, as the hub's SLA sweep removes them.
        var cleanup = Stopwatch.StartNew();
        var timers = services.GetRequiredService<SlaTimerScheduler>();
        long removed = 0;
        for (int n; (n = await timers.RemoveFinishedJobsAsync(1000)) > 0;) removed += n;
        var jobsLeft = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = @group", new { group = SlaTimerScheduler.Group });

        var result = new Dictionary<string, object?>
        {
            ["backend"] = backend,
            ["count"] = count,
            ["fired"] = fired,
            ["schedulingPerSecond"] = Math.Round(count / scheduling.TotalSeconds, 1),
            ["firingPerSecond"] = firingRate,
            ["latenessP50Ms"] = p50,
            ["latenessP99Ms"] = p99,
            ["managedHeapAfterSchedulingMb"] = Mb(heapAfter),
            ["managedHeapGrowthMb"] = Mb(heapAfter - heapBefore),
            ["workingSetAfterSchedulingMb"] = Mb(workingSet),
            ["preparingSeconds"] = Math.Round(prepared.TotalSeconds),
            ["triggersLeft"] = lingering,
            ["finishedJobsRemoved"] = removed,
            ["finishedJobsRemovalSeconds"] = Math.Round(cleanup.Elapsed.TotalSeconds, 1),
            ["jobsLeft"] = jobsLeft,
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{backend}] fired {fired:N0}/{count:N0}: {firingRate}/s; lateness p50 {p50} ms, p99 {p99} ms; {lingering} SLA triggers left in Quartz; " +
            $"{removed:N0} finished jobs removed in {cleanup.Elapsed.TotalSeconds:F1} s, {jobsLeft} left"));
        return result;
    }

    /// <summary>
    /// Quartz alone, shaped like the hub's timers: a durable no-op job and one one-off trigger per timer, each due the
    /// same target after it was booked, booked by the same number of callers.
    /// </summary>
    static async Task<Dictionary<string, object?>> MeasureQuartzAsync(string backend, IScheduler scheduler, Settings settings)
    {
        var count = settings.Raw;
        RawFireJob.Reset();
        Console.WriteLine($"[{backend}] Quartz alone: scheduling {count:N0} one-off triggers…");
        var target = TimeSpan.FromMinutes(settings.TargetMinutes);
        var watch = Stopwatch.StartNew();
        await ParallelAsync(count, settings.Concurrency, async i =>
        {
            var job = JobBuilder.Create<RawFireJob>().WithIdentity($"raw-{i}", "bench-raw").StoreDurably().Build();
            await scheduler.ScheduleJob(job, TriggerBuilder.Create().WithIdentity($"raw-{i}", "bench-raw").ForJob(job).StartAt(DateTimeOffset.UtcNow + target).Build(),
                new ScheduleJobOptions());
        });
        var scheduling = count / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"[{backend}] Quartz alone: scheduled in {watch.Elapsed.TotalSeconds:F1} s ({scheduling:F0}/s); waiting for them to fire…");
        var deadline = DateTime.UtcNow + settings.Timeout + target;
        while (RawFireJob.Fired < count && DateTime.UtcNow < deadline) await Task.Delay(200);
        var firings = RawFireJob.Firings.ToList();
        var (firingRate, p50, p99) = Firing(firings, firings.Count == 0 ? DateTimeOffset.MaxValue : firings.Min(f => f.Due));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{backend}] Quartz alone: fired {firings.Count:N0}/{count:N0}: {firingRate}/s; lateness p50 {p50} ms, p99 {p99} ms"));
        return new Dictionary<string, object?>
        {
            ["count"] = count,
            ["fired"] = firings.Count,
            ["schedulingPerSecond"] = Math.Round(scheduling, 1),
            ["firingPerSecond"] = firingRate,
            ["latenessP50Ms"] = p50,
            ["latenessP99Ms"] = p99,
        };
    }

    /// <summary>Firing rate from the first due instant to the last firing, and lateness percentiles (fired minus due).</summary>
    static (double PerSecond, double P50, double P99) Firing(IReadOnlyCollection<(DateTimeOffset Due, DateTimeOffset Fired)> firings, DateTimeOffset firstDue)
    {
        if (firings.Count == 0) return (0, double.NaN, double.NaN);
        var lateness = firings.Select(f => (f.Fired - f.Due).TotalMilliseconds).Order().ToArray();
        var window = (firings.Max(f => f.Fired) - firstDue).TotalSeconds;
        return (Math.Round(firings.Count / Math.Max(window, 0.001), 1), Math.Round(Percentile(lateness, 50)), Math.Round(Percentile(lateness, 99)));
    }

    static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);

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
        if (backend != "postgres") throw new ArgumentException($"unknown backend {backend} (sqlite, postgres)");
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
