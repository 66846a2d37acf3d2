using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Hub.Tests.Support;

/// <summary>
/// The real Request Tracker 5 of <c>scripts/rt-up.sh</c> on 127.0.0.1:8080 (installed when missing: about 90 s,
/// needs root), with the token of RT's root, which the hub uses, and an agent who is someone else
/// (<c>scripts/rt-agent.sh</c>: "Agent Smith", Basic auth) acting through REST2 as a person would.
/// </summary>
public sealed class RequestTrackerServer
{
    public const string AgentUser = "agent.smith";
    public const string AgentName = "Agent Smith";
    const string AgentPassword = "agent-password";

    public RequestTrackerServer()
    {
        var values = Run("rt-up.sh", ["start"], new Dictionary<string, string>());
        Url = values["RT_URL"];
        Token = values["RT_TOKEN"];
        Run("rt-agent.sh", [], new Dictionary<string, string> { ["RT_AGENT_USER"] = AgentUser, ["RT_AGENT_PASSWORD"] = AgentPassword, ["RT_AGENT_REALNAME"] = AgentName });
    }

    public string Url { get; }
    /// <summary>RT root's auth token: the hub's own RT user.</summary>
    public string Token { get; }

    static Dictionary<string, string> Run(string script, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", script), .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) throw new TimeoutException($"scripts/{script} did not finish in 10 minutes");
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/{script} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && !p[0].StartsWith('#'))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('\''));
    }

    HttpClient Client(bool asAgent)
    {
        var http = new HttpClient { BaseAddress = new Uri(Url.TrimEnd('/') + "/REST/2.0/") };
        http.DefaultRequestHeaders.Authorization = asAgent
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AgentUser}:{AgentPassword}")))
            : new AuthenticationHeaderValue("token", Token);
        return http;
    }

    /// <summary>With a Content-Length: RT's server reads a chunked body (what JsonContent sends) as empty.</summary>
    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>The agent's public reply (RT correspondence).</summary>
    public async Task AgentRepliesAsync(string ticketId, string text)
    {
        using var http = Client(asAgent: true);
        (await http.PostAsync($"ticket/{ticketId}/correspond", Json(new { Content = text, ContentType = "text/plain" }))).EnsureSuccessStatusCode();
    }

    /// <summary>The agent's internal comment.</summary>
    public async Task AgentCommentsAsync(string ticketId, string text)
    {
        using var http = Client(asAgent: true);
        (await http.PostAsync($"ticket/{ticketId}/comment", Json(new { Content = text, ContentType = "text/plain" }))).EnsureSuccessStatusCode();
    }

    public async Task AgentSetsStatusAsync(string ticketId, string status)
    {
        using var http = Client(asAgent: true);
        var response = await http.PutAsync($"ticket/{ticketId}", Json(new { Status = status }));
        var messages = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !messages.Contains(status, StringComparison.Ordinal))
            throw new InvalidOperationException($"RT did not set ticket {ticketId} to {status}: {(int)response.StatusCode} {messages}");
    }

    /// <summary>A REST2 read as root.</summary>
    public async Task<JsonNode> GetAsync(string path)
    {
        using var http = Client(asAgent: false);
        return JsonNode.Parse(await http.GetStringAsync(path))!;
    }

    /// <summary>The ticket's correspondence, comments and creation as (type, creator, text), oldest first.</summary>
    public async Task<IReadOnlyList<(string Type, string Creator, string Text)>> MessagesAsync(string ticketId)
    {
        var sql = Uri.EscapeDataString($"ObjectType = 'RT::Ticket' AND ObjectId = {ticketId} AND (Type = 'Create' OR Type = 'Correspond' OR Type = 'Comment')");
        var transactions = await GetAsync($"transactions?query={sql}&orderby=id&per_page=100&fields=Type,Creator");
        var result = new List<(string, string, string)>();
        foreach (var t in transactions["items"]!.AsArray())
        {
            var parts = await GetAsync($"transaction/{t!["id"]}/attachments?fields=Content&per_page=100");
            result.Add((t["Type"]!.ToString(), t["Creator"]?["id"]?.ToString() ?? "", string.Join("\n", parts["items"]!.AsArray().Select(p => p?["Content"]?.ToString()))));
        }
        return result;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }
}
