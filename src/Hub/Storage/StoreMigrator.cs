namespace IntegrationHub.Hub.Storage;

/// <summary>Brings the schema up to date before the hub serves anything.</summary>
internal sealed class StoreMigrator(SqlDialect dialect, ILogger<StoreMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrations.ApplyAsync(dialect, cancellationToken);
        logger.LogInformation("Store: {Backend}, schema version {Version} ({Applied} migration(s) applied now)", dialect.Name, Migrations.Latest, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
