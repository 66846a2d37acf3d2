using System.Collections.Concurrent;
using Quartz;

namespace IntegrationHub.Hub.Tests.Jobs;

/// <summary>A job that records that it ran, keyed by its "token" data, so a test can wait for it.</summary>
public sealed class SignalJob : IJob
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> Runs = new();

    public static Task<DateTimeOffset> WaitAsync(string token) =>
        Runs.GetOrAdd(token, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var token = context.MergedJobDataMap.GetString("token")!;
        Runs.GetOrAdd(token, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(DateTimeOffset.UtcNow);
        return ValueTask.CompletedTask;
    }
}
