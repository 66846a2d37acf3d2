namespace IntegrationHub.Connectors.Abstractions;

/// <summary>Outcome of a connector's cheap connection test: credentials, permissions, reachability.</summary>
public sealed record CheckResult(bool Ok, string Message)
{
    public static CheckResult Success(string message = "ok") => new(true, message);
    public static CheckResult Failure(string reason) => new(false, reason);
}
