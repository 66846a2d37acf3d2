using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary>The index is rebuilt in-process from the store: SQLite, PostgreSQL and a second node must answer alike.</summary>
public sealed class SameAnswerEverywhereTests
{
    static readonly string[] Questions =
    [
        "How long does a refund take?",
        "can i change my delivery address after ordering",
        "my parcel arrived damaged",
        "do you ship to canada?",
        "I forgot my password",
    ];

    static async Task<List<string>> AnswersAsync(HubFactory hub)
    {
        var client = hub.CreateClient();
        var answers = new List<string>();
        foreach (var question in Questions)
        {
            var preview = await (await client.PostAsJsonAsync("/api/admin/bot/preview", new { text = question })).Content.ReadFromJsonAsync<JsonElement>();
            answers.Add($"{preview.GetProperty("action")}|{preview.GetProperty("intent")}|{preview.GetProperty("text")}|{preview.GetProperty("citations")}");
        }
        return answers;
    }

    [Fact]
    public async Task Preview_SameQuestions_SameAnswersOnSqlitePostgresAndASecondNode()
    {
        await using var sqlite = await HubFactory.CreateAsync("sqlite", HubFactory.BotConnectors);
        await using var postgres = await HubFactory.CreateAsync("postgres", HubFactory.BotConnectors);
        var onSqlite = await AnswersAsync(sqlite);
        var onPostgres = await AnswersAsync(postgres);
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var nodeA = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, sharedDatabase: database);
        var first = await AnswersAsync(nodeA);
        await using var nodeB = await HubFactory.CreateAsync(connectors: HubFactory.BotConnectors, sharedDatabase: database);
        var second = await AnswersAsync(nodeB);

        Assert.Equal(onSqlite, onPostgres);
        Assert.Equal(first, second);
        Assert.Equal(onSqlite, first);
        Assert.Contains(onSqlite, a => a.StartsWith("answer|"));
    }
}
