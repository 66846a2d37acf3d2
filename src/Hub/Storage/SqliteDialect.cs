using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Hub.Storage;

internal sealed class SqliteDialect : SqlDialect
{
    readonly string connectionString;

    public SqliteDialect(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
        // A relative file is relative to the app, not to wherever `dotnet run` was started.
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file))
            builder.DataSource = Path.GetFullPath(file, contentRoot);
        if (Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        this.connectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string DataSource { get; }

    public override string ConnectionString => connectionString;

    public override string Name => "sqlite";

    // SQLite has one writer at a time; BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) already holds it.
    public override string ForUpdate => "";

    public override DbConnection CreateConnection()
    {
        var connection = new SqliteConnection(connectionString);
        // SQLite's own busy handler waits in steps of 1–100 ms; without it Microsoft.Data.Sqlite retries a
        // busy writer every 150 ms, which is what two writers (messages, webhooks, outbox) pay on each collision.
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState != System.Data.ConnectionState.Open) return;
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 5000";
            pragma.ExecuteNonQuery();
        };
        return connection;
    }

    public override string Ddl(string template) => template
        .Replace("{ts}", "TEXT").Replace("{bigint}", "INTEGER").Replace("{blob}", "BLOB")
        .Replace("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT");

    public override async Task BeforeMigrateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // WAL: readers never block the writer; persistent in the file, so set it outside the transaction.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode";
        pragma.Transaction = transaction;
        if (await pragma.ExecuteScalarAsync(cancellationToken) is string mode && mode != "wal")
            throw new InvalidOperationException("SQLite must be switched to WAL before migrating");
    }

    public async Task EnableWalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // FULL: in WAL mode every commit is fsynced, so an acknowledged message survives power loss.
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
