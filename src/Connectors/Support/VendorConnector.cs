using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Connectors.Http;

namespace IntegrationHub.Connectors.Support;

/// <summary>What every HTTP connector shares: identity, lazy secrets, per-key locks and the check wrapper.</summary>
internal abstract class VendorConnector(ConnectorConfig config) : IConnector, IDisposable
{
    public string Id => Config.Id;
    public ConnectorManifest Manifest => Config.Manifest;
    protected ConnectorConfig Config { get; } = config;
    /// <summary>Serialises find-or-create per e-mail/phone so two racing conversations share one contact.</summary>
    protected KeyedLock ContactLocks { get; } = new();
    /// <summary>Serialises lookup-then-create per conversation.</summary>
    protected KeyedLock TicketLocks { get; } = new();

    public abstract Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a required secret now (so rotation needs no restart); the value never reaches an error.</summary>
    protected string Secret(string setting)
    {
        try
        {
            return Config.Secret(setting) is { Length: > 0 } value ? value
                : throw new ConnectorException(Id, ConnectorErrorKind.AuthenticationFailed, $"secret setting '{setting}' is not configured");
        }
        catch (ConnectorConfigurationException e)
        {
            throw new ConnectorException(Id, ConnectorErrorKind.AuthenticationFailed, string.Join("; ", e.Errors.Select(x => $"{x.Field}: {x.Problem}")), inner: e);
        }
    }

    protected VendorHttpPolicy Policy(VendorHttpPolicy defaults) => defaults.With(Config.Bind<ConnectorHttpSettings>());

    /// <summary>Runs probes; any connector error becomes a failed check naming what is wrong.</summary>
    protected async Task<CheckResult> ProbeAsync(Func<Task<string>> probe)
    {
        try
        {
            return CheckResult.Success(await probe().ConfigureAwait(false));
        }
        catch (ConnectorException e)
        {
            return CheckResult.Failure(e.Message);
        }
    }

    protected ConnectorException Invalid(string detail) => new(Id, ConnectorErrorKind.ValidationFailed, detail);

    protected static string Str(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    public virtual void Dispose() { }
}
