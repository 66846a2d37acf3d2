using System.Data.Common;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationHub.Benchmarks.Ingest;

/// <summary>
/// The raw baseline: a minimal ASP.NET Core endpoint that reads the same JSON and group-commits the
/// same message rows into the same table, with nothing else (no auth, no dedupe, no row locks).
/// </summary>
internal sealed class BaselineServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly Channel<(string Conversation, string Text, string ClientId, TaskCompletionSource Done)> queue = Channel.CreateUnbounded<(string, string, string, TaskCompletionSource)>();
    readonly Func<DbConnection> connect;
    readonly Dictionary<string, long> sequences = [];
    readonly Task writer;

    BaselineServer(WebApplication app, Func<DbConnection> connect)
    {
        this.app = app;
        this.connect = connect;
        writer = Task.Run(WriteAsync);
    }

    public static async Task<BaselineServer> StartAsync(string connectionString, bool postgres)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var dataSource = postgres ? NpgsqlDataSource.Create(connectionString) : null;
        var server = new BaselineServer(app, () => dataSource is not null ? dataSource.CreateConnection() : new SqliteConnection(connectionString));
        app.MapPost("/messages/{conversation}", async (string conversation, MessageBody body) =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.queue.Writer.TryWrite((conversation, body.Text, body.ClientMessageId, done));
            await done.Task;
            return Results.Created();
        });
        await app.StartAsync();
        return server;
    }

    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public sealed record MessageBody(string Text, string ClientMessageId);

    async Task WriteAsync()
    {
        var batch = new List<(string Conversation, string Text, string ClientId, TaskCompletionSource Done)>();
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < 256 && queue.Reader.TryRead(out var item)) batch.Add(item);
            await using var connection = connect();
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var now = DateTimeOffset.UtcNow;
            var rows = new List<string>();
            for (var i = 0; i < batch.Count; i++)
            {
                var (conversation, text, clientId, _) = batch[i];
                var seq = sequences[conversation] = sequences.GetValueOrDefault(conversation) + 1;
                rows.Add($"(@c{i}, @s{i}, 'customer', 'public', @b{i}, @p{i}, @t{i})");
                Add(command, $"c{i}", conversation);
                Add(command, $"s{i}", seq);
                Add(command, $"b{i}", text);
                Add(command, $"p{i}", clientId);
                Add(command, $"t{i}", now);
            }
            command.CommandText = "INSERT INTO messages (conversation_id, seq, author, visibility, body, provider_message_id, created_at) VALUES " + string.Join(", ", rows);
            try
            {
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                foreach (var item in batch) item.Done.SetResult();
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Done.SetException(e);
            }
            batch.Clear();
        }
    }

    static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
