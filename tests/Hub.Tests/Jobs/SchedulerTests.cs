using Dapper;
using IntegrationHub.Hub.Storage;
using IntegrationHub.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>Quartz runs inside the hub on the hub's own database, with its tables created at start.</summary>
public abstract class SchedulerTests(string backend)
{
    [Fact]
    public async Task Scheduler_DelayedJob_FiresFromTheHubDatabase()
    {
        await using var hub = await HubFactory.CreateAsync(backend);
        _ = hub.Services; // starts the host: migrations, then Quartz
        var scheduler = await hub.Get<ISchedulerFactory>().GetScheduler();
        var token = Guid.NewGuid().ToString("N");
        var job = JobBuilder.Create<SignalJob>().WithIdentity(token, "test").UsingJobData("token", token).Build();
        var scheduledAt = DateTimeOffset.UtcNow;
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartAt(scheduledAt.AddSeconds(1)).Build());

        // The job lives in the hub's database (qrtz_ tables), not in memory.
        await using (var connection = await hub.Get<SqlDialect>().OpenAsync(CancellationToken.None))
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qrtz_job_details WHERE job_name = @token", new { token }));

        var ranAt = await SignalJob.WaitAsync(token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(ranAt >= scheduledAt.AddSeconds(1).AddMilliseconds(-50), $"fired at {ranAt:O}, before its start time");
    }
}

public sealed class SqliteSchedulerTests() : SchedulerTests("sqlite");

public sealed class PostgresSchedulerTests() : SchedulerTests("postgres");
