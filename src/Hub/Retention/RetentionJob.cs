using IntegrationHub.Hub.Configuration;
using Quartz;

namespace IntegrationHub.Hub.Retention;

/// <summary>Thin: runs the retention service for the workspace. One run at a time across the cluster.</summary>
[DisallowConcurrentExecution]
internal sealed class RetentionJob(RetentionService retention, ConnectorsConfigurationMonitor configuration) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.RunAsync(configuration.Current.Workspace, cancellationToken);
}
