using Microsoft.Playwright;

namespace IntegrationHub.Hub.Tests.Support;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium, or HUB_TEST_CHROMIUM) for the browser tests,
/// driven by Playwright. Playwright's own browser download is never used.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("HUB_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Chromium not found at {executable}: run the tests with scripts/test.sh (it installs Debian's chromium) or set HUB_TEST_CHROMIUM.");
        // Expectations wait up to 15 s instead of Playwright's 5: on a loaded 2-core CI machine a hub's first answer can
        // take longer than 5 s, and a passing expectation returns as soon as it holds.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "browser";
}
