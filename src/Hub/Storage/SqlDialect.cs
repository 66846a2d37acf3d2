using System.Data.Common;

namespace IntegrationHub.Hub.Storage;

/// <summary>What differs between SQLite and PostgreSQL: connections, column types, row locks.</summary>
internal abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>The resolved connection string (absolute SQLite path): Quartz's job store uses the same database.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Appended to a SELECT that must lock the rows it reads until commit.</summary>
    public abstract string ForUpdate { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>Replaces the type tokens of <see cref="Migrations"/> ({ts}, {bigint}, {blob}, {serial}).</summary>
    public abstract string Ddl(string template);

    /// <summary>Run once before migrating: file mode, or a lock so two starting nodes migrate one at a time.</summary>
    public abstract Task BeforeMigrateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static SqlDialect FromConnectionString(string connectionString, string contentRoot) =>
        IsPostgres(connectionString) ? new PostgresDialect(connectionString) : new SqliteDialect(connectionString, contentRoot);

    /// <summary>Npgsql strings name a Host; everything else is a SQLite data source.</summary>
    public static bool IsPostgres(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase) ||
        connectionString.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
}
