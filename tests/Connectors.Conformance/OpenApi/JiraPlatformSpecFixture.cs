namespace IntegrationHub.Connectors.Conformance.OpenApi;

/// <summary>Loads the copied Jira platform OpenAPI document (Specs/atlassian/jira_platform.json, 2.7 MB) once per test class.</summary>
public sealed class JiraPlatformSpecFixture : IAsyncLifetime
{
    public OpenApiRequestValidator Validator { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Validator = await OpenApiRequestValidator.LoadAsync(Path.Combine(AppContext.BaseDirectory, "Specs", "atlassian", "jira_platform.json"));

    public Task DisposeAsync() => Task.CompletedTask;
}
