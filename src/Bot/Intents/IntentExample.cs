namespace IntegrationHub.Bot.Intents;

/// <summary>One labelled utterance. The label <see cref="OutOfScope"/> marks an utterance no intent covers.</summary>
internal sealed record IntentExample(string Text, string Intent)
{
    public const string OutOfScope = "oos";
}
