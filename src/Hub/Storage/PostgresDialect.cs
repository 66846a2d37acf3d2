using System.Data.Common;
using Npgsql;

namespace IntegrationHub.Hub.Storage;

internal sealed class PostgresDialect(string connectionString) : SqlDialect
{
    readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Name => "postgres";

    public override string ConnectionString => connectionString;

    public override string ForUpdate => " FOR UPDATE";

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
