using System.Data.Common;
using Npgsql;

namespace IntegrationHub.Hub.Storage;

internal sealed class PostgresDialect(string connectionString) : SqlDialect
{
    readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));

    /// <summary>
    /// The hub's hot statements keep one text whatever the batch size, so the server can parse and plan each once per
    /// connection instead of once per call; Npgsql prepares them after two uses. A connection string that sets its own
    /// Max Auto Prepare keeps it.
    /// </summary>
    static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare > 0) return connectionString;
        builder.MaxAutoPrepare = 64;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    public override string Name => "postgres";

    public override string ConnectionString => connectionString;

    // NO KEY: the hub never changes a locked row's key, and a plain FOR UPDATE also blocks the key-share locks that
    // foreign-key inserts take (a webhook batch inserting events for several conversations then deadlocks with a
    // message batch locking them in another order; PostgreSQL breaks that after deadlock_timeout, a 1 s stall).
    public override string ForUpdate => " FOR NO KEY UPDATE";

    public override DbConnection CreateConnection() => dataSource.CreateConnection();

    public override string Ddl(string template) => template
        .Replace("{ts}", "TIMESTAMPTZ").Replace("{bigint}", "BIGINT").Replace("{blob}", "BYTEA")
        .Replace("{serial}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    public override async Task BeforeMigrateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Nodes starting together migrate one at a time; the lock ends with the transaction.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7243110)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
