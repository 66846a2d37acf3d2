using System.Text;

namespace IntegrationHub.FakeServers;

/// <summary>A request as the fake received it (for contract assertions and OpenAPI validation).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body, DateTimeOffset At)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
