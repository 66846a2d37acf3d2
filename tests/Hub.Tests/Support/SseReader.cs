namespace IntegrationHub.Hub.Tests.Support;

/// <summary>Reads a text/event-stream response event by event, as a browser's EventSource would.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    readonly StreamReader reader = new(stream);

    public sealed record Event(string Type, string? Id, string Data);

    public async Task<Event> NextAsync(int timeoutMs = 10_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        string type = "message", data = "";
        string? id = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (data.Length > 0 || type != "message") return new Event(type, id, data);
                continue;
            }
            if (line.StartsWith("event: ")) type = line[7..];
            else if (line.StartsWith("id: ")) id = line[4..];
            else if (line.StartsWith("data: ")) data += line[6..];
        }
    }

    /// <summary>The next event of the given type, skipping others (pings, typing…).</summary>
    public async Task<Event> NextOfTypeAsync(string type, int timeoutMs = 10_000)
    {
        while (true)
        {
            var next = await NextAsync(timeoutMs);
            if (next.Type == type) return next;
        }
    }

    public void Dispose() => reader.Dispose();
}
