using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Extensions;

// `eval intents|retrieval|bot-turn …`: the bot's offline evaluations, without building the web host.
if (args is ["eval", .. var evalArgs]) return await EvalEntry.RunAsync(evalArgs);

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
