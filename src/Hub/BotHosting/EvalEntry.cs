using IntegrationHub.Bot.Evaluation;

namespace IntegrationHub.Hub.BotHosting;

/// <summary>The hub executable's <c>eval …</c> subcommands (see <see cref="EvalCommand"/>), run instead of the web host.</summary>
internal static class EvalEntry
{
    public static Task<int> RunAsync(string[] args)
    {
        // `dotnet run --project src/Hub` starts the app in the project folder; data paths on the command line are
        // meant relative to where the user typed it, which POSIX shells pass on as PWD.
        if (Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } caller && Directory.Exists(caller))
            Directory.SetCurrentDirectory(caller);
        return EvalCommand.RunAsync(args, Console.Out);
    }
}
