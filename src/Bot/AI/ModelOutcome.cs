namespace IntegrationHub.Bot.AI;

/// <summary>How a model call for an answer or draft ended.</summary>
internal enum ModelOutcome
{
    /// <summary>A grounded text citing at least one passage.</summary>
    Answered,
    /// <summary>The model said the passages do not support an answer.</summary>
    Refused,
    /// <summary>Timeout, transport error or an unusable reply: use the built-in engine.</summary>
    Failed,
}
