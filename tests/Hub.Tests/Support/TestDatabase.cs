using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Hub.Tests.Support;

/// <summary>
/// A fresh, empty database for one test class: a temp SQLite file, or a new PostgreSQL database
/// on the server named by HUB_TEST_POSTGRES (the test script starts one on 127.0.0.1).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "HUB_TEST_POSTGRES";

    TestDatabase(string backend, string connectionString, Func<Task> drop)
    {
        Backend = backend;
        ConnectionString = connectionString;
        this.drop = drop;
    }

    readonly Func<Task> drop;

    public string Backend { get; }
    public string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync(string backend) => backend switch
    {
        "sqlite" => Task.FromResult(CreateSqlite()),
        "postgres" => CreatePostgresAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(backend)),
    };

    static TestDatabase CreateSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("hub-test-");
        var file = Path.Combine(directory.FullName, "hub.db");
        return new TestDatabase("sqlite", $"Data Source={file}", async () =>
        {
            SqliteConnection.ClearAllPools();
            // A component still shutting down may write one last file (a WAL, an attachment) while the folder goes.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    directory.Delete(recursive: true);
                    return;
                }
                catch (IOException) when (attempt < 5)
                {
                    await Task.Delay(100);
                }
                catch (IOException)
                {
                    return; // a temp folder left behind is not the test's failure
                }
            }
        });
    }

    static async Task<TestDatabase> CreatePostgresAsync()
    {
        // Fail, never skip: a missing PostgreSQL must not pass as green.
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(server))
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with scripts/test.sh, which starts PostgreSQL on 127.0.0.1, or set it to an Npgsql connection string.");
        var name = $"hub_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return new TestDatabase("postgres", connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            // FORCE may not end a server process of another role (an autovacuum worker on the test database):
            // PostgreSQL then refuses (42501), and a moment later the worker is gone.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var dropCommand = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                    await dropCommand.ExecuteNonQueryAsync();
                    return;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
                {
                    await Task.Delay(250);
                }
            }
        });
    }

    public ValueTask DisposeAsync() => new(drop());
}
