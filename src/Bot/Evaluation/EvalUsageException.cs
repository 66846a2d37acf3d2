namespace IntegrationHub.Bot.Evaluation;

/// <summary>Bad arguments or input files: reported to the user with exit code 2, never a stack trace.</summary>
internal sealed class EvalUsageException(string message) : Exception(message);
