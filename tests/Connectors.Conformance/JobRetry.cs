using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Conformance;

/// <summary>What the hub's durable job does with a transient connector error: wait and call again.</summary>
public static class JobRetry
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, int attempts = 8)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await call();
            }
            catch (ConnectorException e) when (e.IsTransient && i < attempts)
            {
                var wait = e.RetryAfter is { } ra && ra < TimeSpan.FromSeconds(3) ? ra : TimeSpan.FromMilliseconds(300);
                await Task.Delay(wait);
            }
        }
    }
}
