using Microsoft.AspNetCore.Http;

namespace IntegrationHub.FakeServers;

/// <summary>Switches that make the next matching requests fail the way real vendors fail.</summary>
public sealed class FaultInjector
{
    readonly List<FaultRule> rules = [];

    /// <summary>The next <paramref name="count"/> matching requests get the vendor's throttle answer with this Retry-After.</summary>
    public FaultInjector Throttle(int count, TimeSpan retryAfter, string? method = null, string? pathContains = null) =>
        Add(new FaultRule(FaultKind.Throttle, count, method, pathContains) { RetryAfter = retryAfter });

    /// <summary>The next <paramref name="count"/> matching requests get this status (e.g. 500, 503).</summary>
    public FaultInjector Status(int status, int count, string? method = null, string? pathContains = null, TimeSpan? retryAfter = null) =>
        Add(new FaultRule(FaultKind.Status, count, method, pathContains) { Status = status, RetryAfter = retryAfter });

    /// <summary>The next matching requests are answered only after <paramref name="delay"/>.</summary>
    public FaultInjector Slow(TimeSpan delay, int count, string? method = null, string? pathContains = null) =>
        Add(new FaultRule(FaultKind.Slow, count, method, pathContains) { Delay = delay });

    /// <summary>The next matching requests are processed and stored, then the connection drops without an answer (after <paramref name="hang"/>).</summary>
    public FaultInjector TimeoutAfterCommit(int count, string? method = null, string? pathContains = null, TimeSpan? hang = null) =>
        Add(new FaultRule(FaultKind.TimeoutAfterCommit, count, method, pathContains) { Delay = hang ?? TimeSpan.Zero });

    /// <summary>The next matching requests are refused as invalid with <paramref name="message"/>, in the vendor's own error status and body.</summary>
    public FaultInjector Reject(string message, int count, string? method = null, string? pathContains = null) =>
        Add(new FaultRule(FaultKind.Reject, count, method, pathContains) { Message = message });

    /// <summary>The next matching requests are dropped before processing.</summary>
    public FaultInjector Abort(int count, string? method = null, string? pathContains = null) =>
        Add(new FaultRule(FaultKind.Abort, count, method, pathContains));

    public void Clear()
    {
        lock (rules) rules.Clear();
    }

    FaultInjector Add(FaultRule rule)
    {
        lock (rules) rules.Add(rule);
        return this;
    }

    internal FaultRule? Take(HttpRequest request)
    {
        lock (rules)
        {
            var rule = rules.FirstOrDefault(r => r.Remaining > 0 && r.Matches(request));
            if (rule is null) return null;
            if (--rule.Remaining == 0) rules.Remove(rule);
            return rule;
        }
    }
}
