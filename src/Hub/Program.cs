using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddHub();
var app = builder.Build();
app.UseHub();
try
{
    await app.RunAsync();
    return 0;
}
catch (ConnectorConfigurationException e)
{
    // An invalid connectors.json at start stops the hub with the list of problems.
    Console.Error.WriteLine(e.Message);
    return 2;
}

public partial class Program;
