namespace IntegrationHub.Bot.Tests.Fakes;

/// <summary>A clock that says what the test sets; timers still run on real time (used only for model timeouts).</summary>
/// <remarks>Microsoft.Extensions.TimeProvider.Testing is not served by the package feed here.</remarks>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    DateTimeOffset _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
