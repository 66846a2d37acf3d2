using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers;

/// <summary>One armed fault: what happens to the next <see cref="Remaining"/> matching requests.</summary>
public sealed class FaultRule(FaultKind kind, int count, string? method, string? pathContains)
{
    public FaultKind Kind { get; } = kind;
    public int Remaining { get; set; } = count;
    public int Status { get; init; } = 503;
    public TimeSpan? RetryAfter { get; init; }
    public TimeSpan Delay { get; init; }
    /// <summary>For <see cref="FaultKind.Reject"/>: the vendor's explanation, written in its error shape.</summary>
    public string Message { get; init; } = "";

    public bool Matches(HttpRequest request) =>
        (method is null || string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase)) &&
        (pathContains is null || (request.Path.Value ?? "").Contains(pathContains, StringComparison.OrdinalIgnoreCase));
}
