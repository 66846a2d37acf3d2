using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Benchmarks.Ingest;

/// <summary>A fresh database for one run: a temp SQLite file, or a new database on the local PostgreSQL.</summary>
internal sealed class IngestDatabase : IAsyncDisposable
{
    readonly Func<Task> drop;

    IngestDatabase(string connectionString, Func<Task> drop)
    {
        ConnectionString = connectionString;
        this.drop = drop;
    }

    public string ConnectionString { get; }

    public static async Task<IngestDatabase> CreateAsync(string backend)
    {
        if (backend == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("hub-bench-");
            return new IngestDatabase($"Data Source={Path.Combine(folder.FullName, "hub.db")}", () =>
            {
                SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
                return Task.CompletedTask;
            });
        }
        if (backend != "postgres") throw new ArgumentException($"unknown backend '{backend}' (sqlite or postgres)");
        // The same server the tests use: scripts/pg.sh starts it on 127.0.0.1.
        var server = Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=hub";
        var name = $"hub_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        // Loopback: no TLS (Debian's server offers it and Npgsql would take it), for both sides alike.
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100, SslMode = SslMode.Disable }.ToString();
        return new IngestDatabase(connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        });
    }

    public ValueTask DisposeAsync() => new(drop());
}
